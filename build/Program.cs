using Layercake.Build;
using Layercake.Build.Frosting;

return await new CakeHost()
    .UseContext<BuildContext>()
    .UseAsyncLifetime<BuildLifetime>()
    .UseTaskLifetime<BuildTaskLifetime>()
    .UseArguments(BuildArguments.Known)
    .ConfigureServices(BuildServices.Register)
    .UseErrorMessages(CommandLineAdvice.Describe)
    .RunAsync(args);

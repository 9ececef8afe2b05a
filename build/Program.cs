using Layercake.Build;
using Layercake.Build.Frosting;

return new CakeHost()
    .UseContext<BuildContext>()
    .UseLifetime<BuildLifetime>()
    .UseTaskLifetime<BuildTaskLifetime>()
    .UseArguments(BuildArguments.Known)
    .Run(args);

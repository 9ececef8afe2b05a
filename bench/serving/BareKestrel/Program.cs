using System.Net;
using System.Text;

// A body the size of one penguins prediction from /invocations, so the comparison is the HTTP path alone.
var body = Encoding.UTF8.GetBytes("""{"predictions":[{"label":"Adelie","probabilities":{"Adelie":0.7701542,"Chinstrap":0.22700813,"Gentoo":0.0028376277}}]}""");
var port = int.TryParse(Environment.GetEnvironmentVariable("PORT"), out var p) ? p : 8080;
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Any, port));
var app = builder.Build();
app.MapPost("/", async context =>
{
    // Read the request as the model server does, then answer the constant.
    await context.Request.Body.CopyToAsync(Stream.Null);
    context.Response.ContentType = "application/json";
    await context.Response.Body.WriteAsync(body);
});
app.MapGet("/", () => Results.Text("ok"));
app.Run();

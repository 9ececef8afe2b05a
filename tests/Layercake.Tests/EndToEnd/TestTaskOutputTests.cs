using Mono.Cecil;
using Mono.Cecil.Cil;
using Layercake.Tests.Architecture;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.EndToEnd;

/// <summary>
/// A green <c>--target=Test</c> run is quiet: the console logger shows failures and totals, not the output of every
/// passing test (whose expected failures would scroll thousands of "Build failed" lines). Read from the built task,
/// since running the suite inside the suite would take as long as the suite.
/// </summary>
[Category(Categories.Unit)]
public sealed class TestTaskOutputTests
{
    [Test]
    public void The_Test_task_asks_the_console_logger_for_minimal_verbosity_and_keeps_a_trx_file()
    {
        using var build = ModuleDefinition.ReadModule(ArchitectureDocTests.BuildAssembly());
        var task = build.Types.Single(t => t.Name == "TestTask");
        var strings = task.Methods.Where(m => m.HasBody).SelectMany(m => m.Body.Instructions)
            .Where(i => i.OpCode == OpCodes.Ldstr).Select(i => (string)i.Operand).ToArray();

        Assert.That(strings, Does.Contain("console;verbosity=minimal").And.Contain("trx").And.No.Contains("verbosity=normal"));
    }
}

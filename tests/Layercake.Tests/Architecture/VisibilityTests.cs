using Mono.Cecil;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Architecture;

/// <summary>
/// Internal by default: a public type of the library must be something the build host uses, or part of the public
/// surface of such a type (a parameter, a return, a property, a base type). Anything else is an implementation
/// detail and stays internal, however many folders use it.
/// </summary>
[Category(Categories.Unit)]
public sealed class VisibilityTests
{
    [Test]
    public void Every_public_type_of_the_library_is_reached_from_the_build_host()
    {
        using var library = ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, "Layercake.dll"));
        var publicTypes = library.Types.Where(t => t.IsPublic).ToDictionary(t => t.FullName, StringComparer.Ordinal);
        var build = TypeDependencies.Read(ArchitectureDocTests.BuildAssembly());

        var reached = new HashSet<string>(build.Uses.Values.SelectMany(u => u).Where(publicTypes.ContainsKey), StringComparer.Ordinal);
        var queue = new Queue<string>(reached);
        while (queue.Count > 0)
        {
            foreach (var next in SurfaceOf(publicTypes[queue.Dequeue()]).Where(n => publicTypes.ContainsKey(n) && reached.Add(n)))
            {
                queue.Enqueue(next);
            }
        }

        Assert.That(publicTypes.Keys.Where(t => !reached.Contains(t)).Order(), Is.Empty, "make these internal: nothing outside the library needs them");
    }

    /// <summary>The types named by a type's public members and its base types.</summary>
    private static IEnumerable<string> SurfaceOf(TypeDefinition type)
    {
        IEnumerable<TypeReference> Expand(TypeReference? t) => t switch
        {
            null => [],
            GenericInstanceType g => Expand(g.ElementType).Concat(g.GenericArguments.SelectMany(Expand)),
            TypeSpecification s => Expand(s.ElementType),
            GenericParameter => [],
            _ => [t],
        };

        var members = new List<TypeReference?> { type.BaseType };
        members.AddRange(type.Interfaces.Select(i => i.InterfaceType));
        members.AddRange(type.Fields.Where(f => f.IsPublic).Select(f => f.FieldType));
        members.AddRange(type.Properties.Where(p => p.GetMethod?.IsPublic == true).Select(p => p.PropertyType));
        foreach (var method in type.Methods.Where(m => m.IsPublic))
        {
            members.Add(method.ReturnType);
            members.AddRange(method.Parameters.Select(p => p.ParameterType));
        }

        members.AddRange(type.NestedTypes.Where(n => n.IsNestedPublic));
        return members.SelectMany(Expand).Select(t => t.FullName);
    }
}

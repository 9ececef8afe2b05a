using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Layercake.Tests.Architecture;

/// <summary>
/// Which types each type of an assembly uses, read from its IL with Mono.Cecil: base types, interfaces,
/// fields, properties, method signatures, attributes, generic arguments, and every type, method and field
/// a method body names. Nested and compiler-generated types count as their outermost declaring type.
/// </summary>
internal sealed class TypeDependencies
{
    private TypeDependencies(IReadOnlyDictionary<string, HashSet<string>> uses, IReadOnlyDictionary<string, string> namespaces)
    {
        Uses = uses;
        NamespaceOf = namespaces;
    }

    /// <summary>Full name of each top-level type of the assembly → full names of the types it uses.</summary>
    public IReadOnlyDictionary<string, HashSet<string>> Uses { get; }

    /// <summary>Full name of every top-level type seen (the assembly's and the ones it uses) → its namespace.</summary>
    public IReadOnlyDictionary<string, string> NamespaceOf { get; }

    public static TypeDependencies Read(string assemblyPath)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var uses = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var namespaces = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in module.Types.Where(t => t.Name != "<Module>"))
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var nested in Flatten(type))
            {
                Collect(nested, set, namespaces);
            }

            namespaces[type.FullName] = type.Namespace;
            set.Remove(type.FullName);
            uses[type.FullName] = set;
        }

        return new TypeDependencies(uses, namespaces);
    }

    private static IEnumerable<TypeDefinition> Flatten(TypeDefinition type) => new[] { type }.Concat(type.NestedTypes.SelectMany(Flatten));

    private static void Collect(TypeDefinition type, HashSet<string> set, Dictionary<string, string> namespaces)
    {
        void Add(TypeReference? reference)
        {
            switch (reference)
            {
                case null:
                    return;
                case GenericInstanceType generic:
                    Add(generic.ElementType);
                    foreach (var argument in generic.GenericArguments) Add(argument);
                    return;
                case TypeSpecification specification:
                    Add(specification.ElementType);
                    return;
                case GenericParameter:
                    return;
            }

            var outer = reference;
            while (outer.DeclaringType is not null) outer = outer.DeclaringType;
            set.Add(outer.FullName);
            namespaces.TryAdd(outer.FullName, outer.Namespace);
        }

        void Attributes(ICustomAttributeProvider provider)
        {
            foreach (var attribute in provider.CustomAttributes)
            {
                Add(attribute.AttributeType);
                foreach (var argument in attribute.ConstructorArguments) Add(argument.Value as TypeReference);
            }
        }

        Add(type.BaseType);
        Attributes(type);
        foreach (var i in type.Interfaces) Add(i.InterfaceType);
        foreach (var field in type.Fields) { Add(field.FieldType); Attributes(field); }
        foreach (var property in type.Properties) { Add(property.PropertyType); Attributes(property); }
        foreach (var method in type.Methods)
        {
            Attributes(method);
            Add(method.ReturnType);
            foreach (var parameter in method.Parameters) Add(parameter.ParameterType);
            if (!method.HasBody) continue;
            foreach (var variable in method.Body.Variables) Add(variable.VariableType);
            // A catch clause names its exception type in the handler table, not in an instruction.
            foreach (var handler in method.Body.ExceptionHandlers) if (handler.CatchType is { } caught) Add(caught);
            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t: Add(t); break;
                    case MethodReference m:
                        Add(m.DeclaringType);
                        Add(m.ReturnType);
                        if (m is GenericInstanceMethod g) foreach (var a in g.GenericArguments) Add(a);
                        break;
                    case FieldReference f: Add(f.DeclaringType); Add(f.FieldType); break;
                }
            }
        }
    }

    /// <summary>Namespace → namespaces its types use, within those starting with <paramref name="prefix"/>.</summary>
    public Dictionary<string, HashSet<string>> NamespaceGraph(string prefix)
    {
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (type, used) in Uses)
        {
            var from = NamespaceOf[type];
            if (!IsUnder(from, prefix)) continue;
            var edges = graph.TryGetValue(from, out var e) ? e : graph[from] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var to in used.Select(u => NamespaceOf.GetValueOrDefault(u, "")).Where(n => IsUnder(n, prefix) && n != from))
            {
                edges.Add(to);
            }
        }

        return graph;
    }

    /// <summary>The types of namespace <paramref name="from"/> that use a type of namespace <paramref name="to"/>, with that type.</summary>
    public IEnumerable<string> Witnesses(string from, string to) =>
        Uses.Where(u => NamespaceOf[u.Key] == from)
            .SelectMany(u => u.Value.Where(v => NamespaceOf.GetValueOrDefault(v) == to).Select(v => $"{u.Key} → {v}"));

    public static bool IsUnder(string ns, string prefix) => ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal);
}

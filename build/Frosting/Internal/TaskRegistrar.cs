using System.Reflection;
using Cake.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Layercake.Build.Frosting.Internal;

/// <summary>
/// Turns task classes into Cake tasks: name, description and dependencies from the attributes, and
/// criteria, error handler and finally-action only where the class overrides them, as Frosting does.
/// </summary>
internal static class TaskRegistrar
{
    public static string NameOf(Type taskType) =>
        taskType.GetCustomAttribute<TaskNameAttribute>()?.Name
            ?? (taskType.Name.EndsWith("Task", StringComparison.Ordinal) ? taskType.Name[..^4] : taskType.Name);

    /// <summary>
    /// Each task is taken from the container when Cake first asks about it (its criteria or its run), so a task that
    /// does not run never makes its services: --tree and a skipped task construct nothing.
    /// </summary>
    public static void Register(ICakeEngine engine, IReadOnlyList<Type> taskTypes, ICakeContext context, IServiceProvider services)
    {
        var known = taskTypes.ToHashSet();
        foreach (var type in taskTypes)
        {
            var instance = new Lazy<IFrostingTask>(() => (IFrostingTask)services.GetRequiredService(type));
            var builder = engine.RegisterTask(NameOf(type));
            if (type.GetCustomAttribute<TaskDescriptionAttribute>() is { } description)
            {
                builder.Description(description.Description);
            }

            foreach (var dependency in type.GetCustomAttributes<IsDependentOnAttribute>())
            {
                if (!known.Contains(dependency.Task))
                {
                    throw new InvalidOperationException(
                        $"Task {NameOf(type)} depends on {dependency.Task.Name}, which is not a task of this build.");
                }

                builder.IsDependentOn(NameOf(dependency.Task));
            }

            if (Overrides(type, nameof(IFrostingTask.ShouldRun)))
            {
                builder.WithCriteria(_ => instance.Value.ShouldRun(context));
            }

            builder.Does(() => instance.Value.RunAsync(context));

            if (Overrides(type, nameof(IFrostingTask.OnError)))
            {
                builder.OnError(exception => instance.Value.OnError(exception, context));
            }

            if (Overrides(type, nameof(IFrostingTask.Finally)))
            {
                builder.Finally(() => instance.Value.Finally(context));
            }
        }
    }

    private static bool Overrides(Type type, string method)
    {
        var declared = type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == method && !m.DeclaringType!.IsGenericType)
            .ToArray();
        return declared.Length > 0;
    }
}

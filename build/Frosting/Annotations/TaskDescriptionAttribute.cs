namespace Layercake.Build.Frosting;

/// <summary>What a task does, shown by <c>--description</c> and <c>--tree</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TaskDescriptionAttribute(string description) : Attribute
{
    public string Description { get; } = description;
}

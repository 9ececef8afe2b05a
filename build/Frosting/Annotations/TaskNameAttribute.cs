namespace Layercake.Build.Frosting;

/// <summary>The name a task is run by (<c>--target=NAME</c>) and listed under.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TaskNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

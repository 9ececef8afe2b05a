namespace Layercake.Shared.Errors;

/// <summary>The registry holds no version of a model yet; the host says how to package one.</summary>
public sealed class NothingRegisteredException(string model, string message) : InvalidOperationException(message)
{
    public string Model { get; } = model;
}

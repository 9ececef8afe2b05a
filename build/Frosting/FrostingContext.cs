using Cake.Core;

namespace Layercake.Build.Frosting;

/// <summary>Base of a typed build context: every Cake alias works on it, since it is an <see cref="ICakeContext"/>.</summary>
public class FrostingContext(ICakeContext context) : CakeContextAdapter(context)
{
}

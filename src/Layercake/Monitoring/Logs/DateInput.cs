using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Preprocessing.Dates;

namespace Layercake.Monitoring.Logs;

/// <summary>
/// A date input of the log, read as the server read it (its format, its wall clock), whose parts fill numeric slots
/// of a <see cref="LogRow"/> so they are tested for drift like numeric inputs.
/// </summary>
internal sealed record DateInput(string Column, string? Format, IReadOnlyList<(int Slot, DatePartTensor Part)> Parts);

namespace Layercake.Pipelines.Trainers;

/// <summary>How a trainer's <c>search:</c> space is walked.</summary>
public enum SearchStrategy
{
    /// <summary>Points drawn at random from the space with the search seed (log-uniform where <c>log: true</c>).</summary>
    Random,

    /// <summary>Every point of the grid (choices × stepped ranges), in a seeded random order, up to the trial budget.</summary>
    Grid,

    /// <summary>
    /// Random points, then successive halving: every point fitted on a ninth of the training rows, the best third
    /// on a third, the best third of those on all rows (fewer rungs for fewer points).
    /// </summary>
    Halving,
}

using Layercake.Pipelines;
using Layercake.Pipelines.Trainers;

namespace Layercake.Development.Training.Search;

/// <summary>What a trainer's nested search chose: the trainer each outer fold is scored with, the final one, and the record.</summary>
internal sealed record NestedSearchResult(IReadOnlyList<TrainerSpec> FoldTrainers, TrainerSpec Final, SearchOutcome Outcome);

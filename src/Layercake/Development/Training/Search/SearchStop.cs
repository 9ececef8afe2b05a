namespace Layercake.Development.Training.Search;

/// <summary>Why a search ended: every planned trial ran, the wall-clock budget ran out, or the run was cancelled.</summary>
public enum SearchStop
{
    Completed,
    MaxMinutes,
    Cancelled,
}

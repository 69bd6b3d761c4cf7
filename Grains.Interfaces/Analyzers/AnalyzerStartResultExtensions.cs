using Focus.Grains.Jobs;

namespace Focus.Grains.Analyzers;

public static class AnalyzerStartResultExtensions
{
    public static AnalyzerStartResult ToStartResult(this JobProblem problem) => new() { Problem = problem };
}

using System.Net;
using Focus.IntegrationTests.Infrastructure;
using Focus.IntegrationTests.Launcher;

namespace Focus.IntegrationTests.RestPull;

/// <summary>With <c>Focus:Analyzer:Host=process</c> the lines live in the job's own process, which the pull does not reach yet: a clear problem, never a 500 or a hang.</summary>
[Collection(ProcessHostCollection.Name)]
public sealed class ProcessHostPullTests(ProcessHostService service)
{
    [Fact]
    public async Task A_pull_of_a_job_run_by_an_analyzer_process_is_a_501_problem_saying_so()
    {
        var job = await service.Http.Configure(FocusApi.LiveBody(min: 1, max: 1, view: 1));
        var jobId = (string)job["job_id"]!;
        try
        {
            using var response = await service.Http.GetAsync($"waterfall/{jobId}/5");
            Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
            var problem = await response.Json();
            Assert.Contains("Focus:Analyzer:Host=process", (string)problem["detail"]!);
            Assert.Equal((string)problem["detail"]!, (string)problem["error"]!);
        }
        finally
        {
            await service.Http.Delete(jobId);
        }
    }
}

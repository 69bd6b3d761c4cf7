using Focus.Analyzer.Historic;

namespace Focus.UnitTests.Historic;

public sealed class LineTimesTests
{
    [Fact]
    public void A_line_is_stamped_with_its_first_rows_recorded_time_floored_to_the_ms()
    {
        // Lines every 10 samples from grid sample 1000; a block of 30 rows from sample 995 recorded at .626928 + row ms.
        var times = new LineTimes(firstSample: 1000, hop: 10, lineCount: 100);
        times.Note(995, Enumerable.Range(0, 30).Select(r => 50_626_928L + r * 1000).ToArray());
        Assert.Equal(50_631, times.Take(0)); // row 5: 50.631928 s
        Assert.Equal(50_641, times.Take(1));
        Assert.Equal(50_651, times.Take(2));
        Assert.Null(times.Take(3)); // not noted yet
    }

    [Fact]
    public void Samples_both_files_hold_keep_the_first_files_time_and_lines_a_hole_skipped_are_dropped()
    {
        var times = new LineTimes(firstSample: 0, hop: 10, lineCount: 100);
        times.Note(0, Enumerable.Range(0, 25).Select(r => r * 1000L).ToArray());          // lines 0..2
        times.Note(20, Enumerable.Range(0, 15).Select(r => 999_000L + r * 1000).ToArray()); // repeats line 2, adds line 3
        times.Note(70, Enumerable.Range(0, 20).Select(r => 70_000L + r * 1000).ToArray());  // after a hole: lines 7, 8
        Assert.Equal(20, times.Take(2)); // the first file's
        Assert.Equal(1009, times.Take(3));
        Assert.Equal(1009, times.Take(7)); // lines 4..6 dropped; the later file's clock is behind: never back in time
        Assert.Equal(1009, times.Take(8));
    }
}

using Focus.Grains.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Focus.UnitTests.Jobs;

public class FieldErrorsTests
{
    private static FieldErrors Sample()
    {
        var errors = new FieldErrors();
        errors.AddInvalid("nfftSelection", "1000", "a power of 2 between 128 and 65536 (maximum)");
        errors.AddRequired("channels", "an object with min and max");
        errors.Add("nfftSelection", "nfftSelection: a second complaint");
        return errors;
    }

    [Fact]
    public void Keeps_fields_in_the_order_found_with_all_their_messages()
    {
        var errors = Sample();

        Assert.Equal(3, errors.Count);
        Assert.Equal(["nfftSelection", "channels"], errors.Fields);
        Assert.Equal(["nfftSelection: 1000 is invalid, must be a power of 2 between 128 and 65536 (maximum)", "nfftSelection: a second complaint"],
            errors["nfftSelection"]);
        Assert.Empty(errors["view_type"]);
        Assert.True(errors.Contains("channels"));
        Assert.False(errors.Contains("channels.min"));
    }

    [Fact]
    public void Converts_to_the_problem_details_shapes()
    {
        var errors = Sample();

        IDictionary<string, string[]> map = errors.ToDictionary();
        Assert.Equal(["nfftSelection", "channels"], map.Keys);
        Assert.Equal(["channels: is required, must be an object with min and max"], map["channels"]);
        Assert.Equal(
            "nfftSelection: 1000 is invalid, must be a power of 2 between 128 and 65536 (maximum); channels: is required, must be an object with min and max; nfftSelection: a second complaint",
            errors.Detail);
    }

    [Fact]
    public void Crosses_a_grain_call_intact()
    {
        using var services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(FieldErrors).Assembly)).BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var errors = Sample();

        var copy = serializer.Deserialize<FieldErrors>(serializer.SerializeToArray(errors));

        Assert.NotNull(copy);
        Assert.Equal(errors.ToArray(), copy.ToArray());
        var window = new Focus.Grains.Time.TimeWindow { Start = DateTimeOffset.UnixEpoch, End = DateTimeOffset.UnixEpoch.AddHours(1) };
        Assert.Equal(window, serializer.Deserialize<Focus.Grains.Time.TimeWindow>(serializer.SerializeToArray(window)));
    }
}

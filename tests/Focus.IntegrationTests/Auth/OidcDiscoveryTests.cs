using System.Net;
using Focus.IntegrationTests.Live;

namespace Focus.IntegrationTests.Auth;

/// <summary><c>jwt</c> mode with an authority: keys by OIDC discovery, and a provider's key rotation followed.</summary>
public sealed class OidcDiscoveryTests(OidcProviderService service) : IClassFixture<OidcProviderService>
{
    [Fact]
    public async Task Tokens_are_checked_against_the_keys_discovery_finds_and_a_rotated_key_is_followed()
    {
        var first = service.CurrentKey;
        using (var analyst = service.As(service.Token("ana", ["analyst"])))
            Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("jobs")).StatusCode);
        Assert.True(service.KeySetFetches >= 1, "the key set was never fetched from the provider");

        // The provider rotates: a token under the new key id makes the service fetch the keys again (the first call
        // may be refused while it does; JwtBearer then allows one more refresh per RefreshInterval, 5 min), then it
        // is accepted, and the retired key is no longer.
        service.Rotate("idp-2");
        using var rotated = service.As(service.Token("ana", ["analyst"]));
        await TestBroker.Eventually(async () => (await rotated.GetAsync("jobs")).StatusCode == HttpStatusCode.OK,
            "a token signed with the rotated key is accepted", TimeSpan.FromSeconds(30));
        using var retired = service.As(service.Token("ana", ["analyst"], first));
        await AuthAssert.Refused(await retired.GetAsync("jobs"), HttpStatusCode.Unauthorized);

        // A key the provider never published is refused, whatever key id the token names.
        var forged = new Microsoft.IdentityModel.Tokens.RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048)) { KeyId = service.CurrentKey.KeyId };
        using var forger = service.As(service.Token("ana", ["operator"], forged));
        await AuthAssert.Refused(await forger.GetAsync("jobs"), HttpStatusCode.Unauthorized);
    }
}

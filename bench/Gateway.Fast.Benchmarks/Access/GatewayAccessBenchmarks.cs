using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Fast.Access;
using Gateway.Fast.Benchmarks.Infrastructure;
using Gateway.Fast.Configuration;
using Gateway.Fast.Errors;
using Gateway.Fast.Management;
using Gateway.Fast.Pipeline;
using Gateway.Fast.Providers;
using Gateway.Fast.Routing;
using Microsoft.AspNetCore.Http;

namespace Gateway.Fast.Benchmarks.Access;

/// <summary>
/// The access check of an authenticated gateway (admission, docs/design.md#the-request-path) per request: gateway token, team key, and the whole
/// <see cref="GatewayAccess.Authorize"/> stage with a stored key picked; against the obvious hex-string lookup.
/// </summary>
[MemoryDiagnoser]
public class GatewayAccessBenchmarks
{
    private const string Path = "/v1/acct/bench/mistral/v1/chat/completions";

    private string _dir = "";
    private AccessRecordStore _records = null!;
    private GatewayTokenStore _tokens = null!;
    private TeamKeyStore _teamKeys = null!;
    private GatewayAccess _access = null!;
    private GatewaySettings _gateway = null!;
    private string _token = "";
    private string _teamKey = "";
    private Dictionary<string, string> _naive = null!;
    private DefaultHttpContext _withProviderKey = null!;
    private DefaultHttpContext _withStoredKey = null!;
    private RequestContext _ctx = null!;
    private RouteMatch _route;
    private ResolvedProvider _provider = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gwfast-bench-" + Guid.NewGuid().ToString("N"));
        _records = new AccessRecordStore(System.IO.Path.Combine(_dir, "access"));
        var master = MasterKey.Resolve(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), _dir);
        _tokens = new GatewayTokenStore(_records, TimeProvider.System);
        _teamKeys = new TeamKeyStore(_records, TimeProvider.System);
        var keys = new ProviderKeyStore(_records, master, TimeProvider.System);
        var management = ManagementTokenVerifier.Create("bench-management-token", _dir, TextWriter.Null);
        _access = new GatewayAccess(_tokens, keys, management);
        _gateway = GatewaySettings.CreateDefault() with { Id = "bench", InternalId = "0123456789abcdef", Authentication = true };

        // A gateway with a few tokens and a team-key store with a few hundred keys: lookups probe a realistic index.
        for (int i = 0; i < 8; i++)
        {
            _token = _tokens.CreateAsync(_gateway, "t" + i, default).AsTask().GetAwaiter().GetResult().Secret;
        }

        _naive = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < 256; i++)
        {
            _teamKey = _teamKeys.CreateAsync("team-" + (i % 16), "k" + i, false, default).AsTask().GetAwaiter().GetResult().Secret;
            _naive[Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(_teamKey)))] = "team-" + (i % 16);
        }

        keys.CreateAsync(_gateway, "mistral", ProviderKeyStore.DefaultAlias, "sk-stored-0123456789abcdef", "cdef", null, default)
            .AsTask().GetAwaiter().GetResult();

        // The usual Cloudflare call: gateway token plus the caller's own provider key (two digests per request).
        _withProviderKey = new DefaultHttpContext();
        _withProviderKey.Request.Headers[GatewayAccess.AuthorizationHeader] = "Bearer " + _token;
        _withProviderKey.Request.Headers.Authorization = "Bearer sk-proj-0123456789abcdefghijklmnopqrstuvwxyz0123456789";

        // The stored-key call: only the gateway token, the provider key comes from the gateway.
        _withStoredKey = new DefaultHttpContext();
        _withStoredKey.Request.Headers[GatewayAccess.AuthorizationHeader] = "Bearer " + _token;

        _ctx = new RequestContext();
        _route = RouteParser.Parse(Path);
        _provider = new ProviderRegistry(Microsoft.Extensions.Options.Options.Create(new GatewayOptions())).All.First(p => p.Id == "mistral");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _records.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Hex string of the digest, then a string-keyed dictionary: what a first version would write.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Loop.Count)]
    public int HexStringLookup()
    {
        int found = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            found += _naive.ContainsKey(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(_teamKey)))) ? 1 : 0;
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public int TeamKeyTryResolve()
    {
        int found = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            found += _teamKeys.TryResolve(_teamKey, out _) ? 1 : 0;
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public int GatewayTokenCheck()
    {
        int found = 0;
        var header = _withStoredKey.Request.Headers[GatewayAccess.AuthorizationHeader];
        for (int i = 0; i < Loop.Count; i++)
        {
            found += _access.IsGatewayCredential(_gateway, header) ? 1 : 0;
        }

        return found;
    }

    /// <summary>The whole stage with the caller's own provider key: two digests (the token, and the Authorization that is not one).</summary>
    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public int AuthorizeWithCallersKey() => Authorize(_withProviderKey);

    /// <summary>The whole stage picking the stored key for the provider.</summary>
    [Benchmark(OperationsPerInvoke = Loop.Count)]
    public int AuthorizeWithStoredKey() => Authorize(_withStoredKey);

    private int Authorize(HttpContext http)
    {
        int ok = 0;
        for (int i = 0; i < Loop.Count; i++)
        {
            _ctx.Start(http, Path, _route, 0);
            _ctx.Provider = _provider;
            ok += _access.Authorize(_ctx, _gateway) == GatewayError.None ? 1 : 0;
            _ctx.Auth.CredentialInAuthorization = false;
            _ctx.Auth.InjectedCredential = null;
        }

        return ok;
    }
}

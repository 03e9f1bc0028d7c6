using System.Text;
using Gateway.Fast.Guardrails;

namespace Gateway.Fast.Tests.Guardrails;

public sealed class DlpScannerTests
{
    private static List<(string Text, DlpEntries Entry)> Matches(string text, DlpEntries enabled = DlpEntries.All)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var list = new List<(string, DlpEntries)>();
        foreach (var m in DlpScanner.EnumerateMatches(bytes, enabled))
        {
            list.Add((Encoding.UTF8.GetString(bytes, m.Start, m.Length), m.Entry));
        }

        return list;
    }

    private static (string, DlpEntries) Single(string text) => Assert.Single(Matches(text));

    [Theory]
    [InlineData("mail jane.doe+tag@example.co.uk today", "jane.doe+tag@example.co.uk")]
    [InlineData("write to a@b.io.", "a@b.io")]
    [InlineData("<ops_team@mail-relay.example.com>", "ops_team@mail-relay.example.com")]
    public void Emails_AreFoundWithoutSurroundingPunctuation(string text, string expected)
    {
        Assert.Equal((expected, DlpEntries.Email), Single(text));
    }

    [Theory]
    [InlineData("@handle on social media")]
    [InlineData("user@localhost")]
    [InlineData("a@b.c")]
    [InlineData("x@-bad.com")]
    [InlineData("name@domain..com")]
    [InlineData("price: 5 @ 3.50")]
    public void NotEmails_DoNotMatch(string text)
    {
        Assert.Empty(Matches(text, DlpEntries.Email));
    }

    [Theory]
    [InlineData("card 4111 1111 1111 1111 exp 12/29", "4111 1111 1111 1111")]
    [InlineData("5555555555554444", "5555555555554444")]
    [InlineData("amex:378282246310005.", "378282246310005")]
    [InlineData("pay with 6011-1111-1111-1117 now", "6011-1111-1111-1117")]
    public void LuhnValidCards_AreFound(string text, string expected)
    {
        Assert.Equal((expected, DlpEntries.CreditCard), Single(text));
    }

    [Theory]
    [InlineData("4111 1111 1111 1112")] // Luhn fails
    [InlineData("41111111111111111111111")] // longer than 19 digits
    [InlineData("order 1234567812345670")] // Luhn-valid but no issuer starts with 1
    [InlineData("id4111111111111111")] // glued to a word
    [InlineData("call 555-123-4567")] // a phone number: 10 digits
    [InlineData("4111  1111 1111 1111")] // double space splits the run
    public void NotCards_DoNotMatch(string text)
    {
        Assert.Empty(Matches(text, DlpEntries.CreditCard));
    }

    [Fact]
    public void RandomDigitRuns_RarelyLookLikeCards()
    {
        // 10,000 random 16-digit runs: Luhn alone passes ~10%, the issuer digit halves that again.
        var rng = new Random(7);
        var sb = new StringBuilder();
        int hits = 0;
        for (int i = 0; i < 10_000; i++)
        {
            sb.Clear().Append("n=");
            for (int d = 0; d < 16; d++)
            {
                sb.Append((char)('0' + rng.Next(10)));
            }

            hits += Matches(sb.ToString(), DlpEntries.CreditCard).Count;
        }

        Assert.InRange(hits, 300, 700);
    }

    [Theory]
    [InlineData("key=sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", DlpEntries.OpenAIKey)]
    [InlineData("OPENAI_API_KEY=sk-AbCdEfGhIjKlMnOpQrStUvWx", "sk-AbCdEfGhIjKlMnOpQrStUvWx", DlpEntries.OpenAIKey)]
    [InlineData("x-api-key: sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz", "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz", DlpEntries.AnthropicKey)]
    [InlineData("aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n", "AKIAIOSFODNN7EXAMPLE", DlpEntries.AwsAccessKey)]
    [InlineData("ASIAY34FZKBOKMUTVV7A is temporary", "ASIAY34FZKBOKMUTVV7A", DlpEntries.AwsAccessKey)]
    [InlineData("token ghp_0123456789abcdefghijABCDEFGHIJ012345", "ghp_0123456789abcdefghijABCDEFGHIJ012345", DlpEntries.GitHubToken)]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghijklmnop", "github_pat_11ABCDEFG0123456789_abcdefghijklmnop", DlpEntries.GitHubToken)]
    [InlineData("SLACK=xoxb-123456789012-abcdefABCDEF", "xoxb-123456789012-abcdefABCDEF", DlpEntries.SlackToken)]
    [InlineData("key=AIzaSyA-0123456789abcdefghijklmnopqrstu&x", "AIzaSyA-0123456789abcdefghijklmnopqrstu", DlpEntries.GoogleApiKey)]
    [InlineData("stripe sk_live_0123456789abcdefABCD", "sk_live_0123456789abcdefABCD", DlpEntries.StripeKey)]
    [InlineData("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc", DlpEntries.BearerToken)]
    public void Secrets_AreFoundWithTheirDetector(string text, string expected, DlpEntries entry)
    {
        Assert.Equal((expected, entry), Single(text));
    }

    [Theory]
    [InlineData("use sk-learn for this")] // too short to be a key
    [InlineData("AKIAIOSFODNN7EXAMPL")] // 15 characters after the prefix
    [InlineData("AKIAIOSFODNN7EXAMPLEX")] // 17: part of a longer token
    [InlineData("a bearer of bad news")]
    [InlineData("task-sk-AbCdEfGhIjKlMnOpQrStUvWx")] // prefix inside a longer word
    [InlineData("sk_test_0123456789abcdefABCD")] // Stripe test keys are not secrets
    public void LookAlikes_DoNotMatch(string text)
    {
        Assert.Empty(Matches(text, DlpEntries.Secrets));
    }

    [Fact]
    public void PemPrivateKey_CoversTheWholeBlock()
    {
        const string Pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234\nabcd==\n-----END RSA PRIVATE KEY-----";
        Assert.Equal((Pem, DlpEntries.PrivateKey), Single("here:\n" + Pem + "\nthanks"));
    }

    [Fact]
    public void PemPrivateKey_WithoutEndLine_RunsToTheEnd()
    {
        const string Text = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA";
        Assert.Equal((Text, DlpEntries.PrivateKey), Single(Text));
    }

    [Fact]
    public void PublicKeysAndCertificates_DoNotMatch()
    {
        Assert.Empty(Matches("-----BEGIN PUBLIC KEY-----\nMIIBIjANBg\n-----END PUBLIC KEY-----"));
    }

    [Fact]
    public void SeveralDetectors_YieldOrderedNonOverlappingMatches()
    {
        var found = Matches("From bob@example.com: card 4111111111111111, key AKIAIOSFODNN7EXAMPLE, Bearer sk-AbCdEfGhIjKlMnOpQrStUvWx end");
        Assert.Equal(
        [
            ("bob@example.com", DlpEntries.Email),
            ("4111111111111111", DlpEntries.CreditCard),
            ("AKIAIOSFODNN7EXAMPLE", DlpEntries.AwsAccessKey),
            ("Bearer sk-AbCdEfGhIjKlMnOpQrStUvWx", DlpEntries.BearerToken),
        ], found);
    }

    [Fact]
    public void DisabledDetectors_AreNotRun()
    {
        Assert.Equal(DlpEntries.Email, DlpScanner.Detect("bob@example.com 4111111111111111"u8, DlpEntries.Email));
        Assert.Equal(DlpEntries.None, DlpScanner.Detect("bob@example.com"u8, DlpEntries.Secrets));
    }

    [Fact]
    public void RandomText_NeverYieldsRangesOutsideTheInput()
    {
        var rng = new Random(20240611);
        const string Alphabet = "abcAKIASsk-_@.0123456789 Bbearer\n xoxghp";
        var bytes = new byte[300];
        for (int i = 0; i < 5_000; i++)
        {
            int n = rng.Next(bytes.Length);
            for (int k = 0; k < n; k++)
            {
                bytes[k] = (byte)Alphabet[rng.Next(Alphabet.Length)];
            }

            int end = 0;
            foreach (var m in DlpScanner.EnumerateMatches(bytes.AsSpan(0, n), DlpEntries.All))
            {
                Assert.True(m.Start >= end && m.Length > 0 && m.End <= n, $"bad match {m} in case {i}");
                end = m.End;
            }
        }
    }
}

namespace Gateway.Fast.Guardrails;

/// <summary>Merges the three detector families into one left-to-right sequence of non-overlapping matches.</summary>
/// <remarks>
/// Each family's next match is cached, so every byte is searched about once per family however many matches there are.
/// When two families' matches overlap, the earlier start wins (the longer one on a tie) and the other family searches
/// again from the winner's end: "Bearer sk-…" is one bearer match, not two overlapping ones.
/// </remarks>
public ref struct DlpMatchEnumerator
{
    private const int Email = 0;
    private const int Card = 1;
    private const int Secret = 2;

    private readonly ReadOnlySpan<byte> _text;
    private readonly DlpEntries _enabled;
    private DlpMatch _email;
    private DlpMatch _card;
    private DlpMatch _secret;
    private int _stale; // bit per family: its cached match must be searched again from _position
    private int _position;

    /// <param name="text">The text to scan.</param>
    /// <param name="enabled">The detectors to run.</param>
    /// <param name="start">First byte a match may start at; bytes before it are context only (a stream's kept tail).</param>
    public DlpMatchEnumerator(ReadOnlySpan<byte> text, DlpEntries enabled, int start = 0)
    {
        _text = text;
        _position = start;
        _enabled = enabled;
        _stale = 0b111;
        Current = default;
    }

    public DlpMatch Current { get; private set; }

    public readonly DlpMatchEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        Refresh(Email, ref _email);
        Refresh(Card, ref _card);
        Refresh(Secret, ref _secret);

        int best = -1;
        DlpMatch winner = default;
        Pick(Email, _email, ref best, ref winner);
        Pick(Card, _card, ref best, ref winner);
        Pick(Secret, _secret, ref best, ref winner);
        if (best < 0)
        {
            Current = default;
            return false;
        }

        Current = winner;
        _position = winner.End;
        // The winner's family moves on, and so does any family whose cached match the winner overlapped.
        _stale |= 1 << best;
        if (_email.Entry != DlpEntries.None && _email.Start < _position) _stale |= 1 << Email;
        if (_card.Entry != DlpEntries.None && _card.Start < _position) _stale |= 1 << Card;
        if (_secret.Entry != DlpEntries.None && _secret.Start < _position) _stale |= 1 << Secret;
        return true;
    }

    private void Refresh(int family, ref DlpMatch cached)
    {
        if ((_stale & (1 << family)) == 0)
        {
            return;
        }

        _stale &= ~(1 << family);
        bool found = family switch
        {
            Email => (_enabled & DlpEntries.Email) != 0 && DlpScanner.TryFindEmail(_text, _position, out cached),
            Card => (_enabled & DlpEntries.CreditCard) != 0 && DlpScanner.TryFindCard(_text, _position, out cached),
            _ => (_enabled & DlpEntries.Secrets) != 0 && DlpScanner.TryFindSecret(_text, _position, _enabled, out cached),
        };
        if (!found)
        {
            cached = default;
        }
    }

    private static void Pick(int family, DlpMatch candidate, ref int best, ref DlpMatch winner)
    {
        if (candidate.Entry == DlpEntries.None)
        {
            return;
        }

        if (best < 0 || candidate.Start < winner.Start || (candidate.Start == winner.Start && candidate.Length > winner.Length))
        {
            best = family;
            winner = candidate;
        }
    }
}

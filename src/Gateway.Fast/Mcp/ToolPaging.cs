namespace Gateway.Fast.Mcp;

/// <summary>The <c>page</c>/<c>per_page</c> arguments of the list tools, with the bounds of Cloudflare's MCP server (per_page 1 to 50, default 20).</summary>
internal readonly record struct ToolPaging(int Page, int PerPage)
{
    public const int DefaultPerPage = 20;
    public const int MaxPerPage = 50;

    public static ToolPaging Read(int? page, int? perPage)
    {
        if (page is < 1)
        {
            throw ToolErrors.Invalid($"page must be 1 or more (got {page})");
        }

        if (perPage is < 1 or > MaxPerPage)
        {
            throw ToolErrors.Invalid($"per_page must be between 1 and {MaxPerPage} (got {perPage})");
        }

        return new ToolPaging(page ?? 1, perPage ?? DefaultPerPage);
    }

    /// <summary>How many items come before this page.</summary>
    public long Skip => (long)(Page - 1) * PerPage;
}

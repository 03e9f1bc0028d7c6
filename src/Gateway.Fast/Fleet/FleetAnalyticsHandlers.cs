using System.Text.Json.Nodes;
using Gateway.Fast.Logging;
using Gateway.Fast.LogQueries;
using Gateway.Fast.Management;
using Gateway.Fast.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Fast.Fleet;

/// <summary>Analytics in fleet mode: every live replica adds up its own rows, and the groups are merged from their sums
/// (<see cref="FleetAnalyticsMerge"/>). A forwarded call answers this replica's sums, not the public groups.</summary>
internal static class FleetAnalyticsHandlers
{
    public static async Task<IResult> Get(HttpContext context, string gateway)
    {
        if (!LogsHandlers.GatewayExists(context, gateway))
        {
            return LogsHandlers.GatewayNotFound(gateway);
        }

        return await AnswerAsync(context, [gateway]);
    }

    public static async Task<IResult> GetAll(HttpContext context)
    {
        // Gateways are shared through Redis, so every replica sums the same list.
        var gateways = context.RequestServices.GetRequiredService<IGatewayStore>().List();
        return await AnswerAsync(context, [.. gateways.Select(static g => g.Id)]);
    }

    private static async Task<IResult> AnswerAsync(HttpContext context, IReadOnlyList<string> gatewayIds)
    {
        if (!LogAnalyticsQuery.TryParse(QueryStringReader.Read(context.Request.QueryString.Value), out var query, out var errors))
        {
            return LogsHandlers.Invalid(errors);
        }

        var local = LogAnalytics.Run(context.RequestServices.GetRequiredService<ILogStore>(), gatewayIds, query);
        if (FleetPeers.IsForwarded(context.Request))
        {
            return Results.Bytes(FleetAnalyticsMerge.Write(local), "application/json");
        }

        var answers = await context.RequestServices.GetRequiredService<FleetPeers>().SendAllAsync(context);
        var sums = local.ConvertAll(static g => g.Sums!);
        var missing = new List<MissingReplica>(answers.Missing);
        foreach (var answer in answers.Answers)
        {
            if (answer.StatusCode == StatusCodes.Status200OK && FleetAnalyticsMerge.TryRead(answer.Body, query, out var theirs))
            {
                sums.AddRange(theirs);
            }
            else
            {
                missing.Add(FleetAnswer.Unusable(answer));
            }
        }

        var result = new JsonArray();
        foreach (var group in FleetAnalyticsMerge.Merge(query, sums))
        {
            result.Add(AnalyticsHandlers.ToNode(group, query.MetadataKey));
        }

        return FleetAnswer.Naming(context, V4Envelope.Ok(result), missing);
    }
}

namespace Gateway.Fast.Tests.Dashboard;

/// <summary>Every browser test class shares one gateway and one Chromium (starting the browser is the slow part); each
/// test uses gateway ids of its own, so they do not see each other's rows.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardBrowser>
{
    public const string Name = "Dashboard in Chromium";
}

using System.Diagnostics;
using System.Linq.Expressions;
using System.Reflection;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Running;

namespace Gateway.Fast.Benchmarks.Infrastructure;

/// <summary>
/// Bytes per operation of every benchmark, measured in this process in about a tenth of a second each: what
/// <see cref="BenchmarkDotNet.Diagnosers.MemoryDiagnoser"/> reports, without BenchmarkDotNet's build, child process and
/// timed iterations, so the test suite can check <c>bench/expected-allocations.json</c> on every run.
/// </summary>
/// <remarks>
/// BenchmarkDotNet's own converter lists the cases (parameter combinations, setup methods, <c>OperationsPerInvoke</c>)
/// and names them, so the keys are exactly those of its JSON export. Each case runs as BenchmarkDotNet runs it: the
/// parameters set on a fresh instance, <c>[GlobalSetup]</c>, then per iteration <c>[IterationSetup]</c>, invocations
/// and <c>[IterationCleanup]</c>, and <c>[GlobalCleanup]</c> at the end. A warm-up iteration comes first (first-call
/// allocations: lazy statics, pools filling, caches of children), then measured iterations (see <see cref="Measure"/>). Bytes are counted on
/// every thread (<see cref="GC.GetTotalAllocatedBytes(bool)"/>, as the diagnoser does), so benchmarks that hand work to
/// other threads are counted whole; the caller runs nothing else meanwhile. The benchmark is called through a compiled
/// delegate that discards the result, so nothing is boxed by the measuring itself.
/// </remarks>
public static class InProcessAllocations
{
    private static readonly TimeSpan WarmupTime = TimeSpan.FromMilliseconds(60);
    private static readonly TimeSpan MaxMeasuringTime = TimeSpan.FromSeconds(2);
    private const int MinInvocations = 4;

    /// <summary>One benchmark case: BenchmarkDotNet's full name and what it allocated per operation.</summary>
    public sealed record Measurement(string Name, long BytesPerOperation, long Operations);

    /// <summary>Every benchmark case in this assembly, one per method and parameter combination, as BenchmarkDotNet lists them.</summary>
    public static IReadOnlyList<BenchmarkCase> Cases()
        => [.. typeof(BenchConfig).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true }
                && t.GetMethods().Any(m => m.IsDefined(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute))))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .SelectMany(t => BenchmarkConverter.TypeToBenchmarks(t, new BenchConfig()).BenchmarksCases)];

    /// <summary>BenchmarkDotNet's full name of a case, as in its JSON export: the allocation file's key.</summary>
    public static string NameOf(BenchmarkCase benchmark) => FullNameProvider.GetBenchmarkName(benchmark);

    /// <summary>
    /// Measures one case on a fresh instance of its class, between the class's global setup and cleanup: a timed
    /// warm-up iteration, then measured iterations of as many calls until one is within <paramref name="limit"/> bytes
    /// per operation (without a limit: until the figure stops falling) or <see cref="MaxMeasuringTime"/> has passed;
    /// the lowest figure is the result.
    /// </summary>
    /// <remarks>
    /// A warm-up transient only adds bytes (a store's log growing its pages until its memory budget is reached, a pool
    /// filling, a stray allocation by the runtime on another thread), and it passes; a regression allocates on every
    /// call, so it shows in every round and the lowest round still exceeds the limit.
    /// </remarks>
    public static Measurement Measure(BenchmarkCase benchmark, long? limit = null)
    {
        var descriptor = benchmark.Descriptor;
        object instance = Activator.CreateInstance(descriptor.Type)
            ?? throw new InvalidOperationException($"Cannot create {descriptor.Type}.");
        var arguments = new List<object?>();
        foreach (var parameter in benchmark.Parameters.Items)
        {
            if (parameter.IsArgument)
            {
                arguments.Add(parameter.Value);
            }
            else
            {
                Set(instance, parameter.Name, parameter.Value);
            }
        }

        var workload = Compile(instance, descriptor.WorkloadMethod, arguments);
        // As in BenchmarkDotNet's process: no synchronization context (a test runner's would take every continuation).
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        Call(instance, descriptor.GlobalSetupMethod);
        try
        {
            long start = Stopwatch.GetTimestamp();
            int invocations = Iteration(instance, descriptor, workload, MinInvocations, WarmupTime, out _);
            long operations = invocations * descriptor.OperationsPerInvoke;
            long best = long.MaxValue, previous = long.MaxValue;
            while (true)
            {
                Iteration(instance, descriptor, workload, invocations, TimeSpan.Zero, out long bytes);
                // Rounded over all operations, as BenchmarkDotNet's GcStats does.
                long perOperation = (long)Math.Round((double)bytes / operations);
                best = Math.Min(best, perOperation);
                if (best <= limit || (limit is null && perOperation >= previous) || Stopwatch.GetElapsedTime(start) > MaxMeasuringTime)
                {
                    return new Measurement(NameOf(benchmark), best, operations);
                }

                previous = perOperation;
            }
        }
        finally
        {
            Call(instance, descriptor.GlobalCleanupMethod);
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    /// <summary>One iteration: at least <paramref name="minInvocations"/> calls and at least <paramref name="minTime"/>; returns the calls made.</summary>
    private static int Iteration(object instance, Descriptor descriptor, Action workload, int minInvocations, TimeSpan minTime, out long bytes)
    {
        Call(instance, descriptor.IterationSetupMethod);
        int invocations = 0;
        long start = Stopwatch.GetTimestamp();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        while (invocations < minInvocations || Stopwatch.GetElapsedTime(start) < minTime)
        {
            workload();
            invocations++;
        }

        bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        Call(instance, descriptor.IterationCleanupMethod);
        return invocations;
    }

    private static Action Compile(object instance, MethodInfo method, List<object?> arguments)
    {
        if (method.ReturnType == typeof(Task) || method.ReturnType == typeof(ValueTask)
            || (method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() is var g
                && (g == typeof(Task<>) || g == typeof(ValueTask<>))))
        {
            // An awaited benchmark would count the awaiting's allocations too; none exists yet, so say so rather than guess.
            throw new NotSupportedException($"{method.DeclaringType}.{method.Name} is asynchronous; measure it with BenchmarkDotNet.");
        }

        var parameters = method.GetParameters();
        var call = Expression.Call(
            method.IsStatic ? null : Expression.Constant(instance),
            method,
            arguments.Select((a, i) => (Expression)Expression.Constant(a, parameters[i].ParameterType)));
        return Expression.Lambda<Action>(Expression.Block(typeof(void), call)).Compile();
    }

    private static void Set(object instance, string name, object? value)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
        var type = instance.GetType();
        if (type.GetProperty(name, flags) is { } property)
        {
            property.SetValue(property.GetMethod?.IsStatic == true ? null : instance, value);
        }
        else if (type.GetField(name, flags) is { } field)
        {
            field.SetValue(field.IsStatic ? null : instance, value);
        }
        else
        {
            throw new MissingMemberException(type.FullName, name);
        }
    }

    private static void Call(object instance, MethodInfo? method)
    {
        // BenchmarkDotNet's descriptors name an empty method when a class has no such setup; calling it costs nothing.
        method?.Invoke(method.IsStatic ? null : instance, null);
    }
}

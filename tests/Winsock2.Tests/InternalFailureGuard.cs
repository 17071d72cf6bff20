using System.Reflection;
using Winsock2.Kernel;
using Xunit.Sdk;

namespace Winsock2.Tests;

/// <summary>
/// Fails the test during which any thread reported an internal failure (<see cref="Diagnostics.InternalFailure"/>:
/// an exception of our own code on the reactor, the writer, a timer, or behind an API call). Applied to the whole
/// assembly; tests run one at a time, so "during" is exact. A failure reported between two tests fails the next one,
/// saying so.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Method)]
public sealed class InternalFailureGuardAttribute : BeforeAfterTestAttribute
{
    private static readonly object Gate = new();
    private static readonly List<string> Reported = new();
    private static bool _inTest;

    /// <summary>The test the guard is watching now (null between tests).</summary>
    public static string? Watching { get; private set; }

    static InternalFailureGuardAttribute()
    {
        Diagnostics.Internal += static (where, e) =>
        {
            lock (Gate) Reported.Add($"{(_inTest ? "" : "(between tests) ")}{where}: {e}");
        };
    }

    /// <inheritdoc />
    public override void Before(MethodInfo methodUnderTest)
    {
        lock (Gate)
        {
            _inTest = true;
            Watching = methodUnderTest.DeclaringType?.Name + "." + methodUnderTest.Name;
        }
    }

    /// <inheritdoc />
    public override void After(MethodInfo methodUnderTest)
    {
        string[] reported;
        lock (Gate)
        {
            _inTest = false;
            Watching = null;
            reported = Reported.ToArray();
            Reported.Clear();
        }
        if (reported.Length > 0 && methodUnderTest.GetCustomAttribute<InternalFailureExpectedAttribute>() is null)
            throw new XunitException($"internal failure(s) on a background thread or behind an API call during this test:\n{string.Join("\n", reported)}");
    }
}

/// <summary>
/// Marks a test that provokes an internal failure on purpose (a provider that throws out of a WSP call, to show the
/// API layer turns it into an error code): the guard lets it pass.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class InternalFailureExpectedAttribute : Attribute;

namespace Gateway.Fast.Universal;

/// <summary>Why a Universal Endpoint body was refused.</summary>
public enum UniversalParseErrorKind : byte
{
    None,
    /// <summary>Empty, not UTF-8 or not JSON.</summary>
    NotJson,
    /// <summary>Valid JSON, but neither an array of steps nor a single step object.</summary>
    NotArrayOrObject,
    /// <summary>An array with no steps.</summary>
    NoSteps,
    /// <summary>More steps than <see cref="UniversalRequest.MaxSteps"/>.</summary>
    TooManySteps,
    /// <summary>An array element that is not an object.</summary>
    StepNotObject,
    /// <summary><c>provider</c> missing, empty or not a string.</summary>
    InvalidProvider,
    /// <summary><c>endpoint</c> missing, empty, not a string or holding control characters.</summary>
    InvalidEndpoint,
    /// <summary><c>headers</c> (or <c>authorization</c>) not an object of valid names and values: header injection is refused here.</summary>
    InvalidHeaders,
    /// <summary><c>config</c> not an object, or one of its fields of the wrong type.</summary>
    InvalidConfig,
}

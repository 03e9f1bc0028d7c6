namespace Gateway.Fast.Accounting;

public sealed partial class PriceTable
{
    /// <summary>
    /// The prices shipped with the gateway: USD per million tokens, list prices for standard (non-batch) use, checked
    /// against the providers' pricing pages. Edit here, or point <c>Gateway:PricesFile</c> at a file of the same shape
    /// whose rows replace or add to these. Keys are model ids without dates: lookup matches the longest key that the
    /// model id starts with, up to a separator (<c>gpt-4o-mini-2024-07-18</c> → <c>gpt-4o-mini</c>).
    /// </summary>
    internal static ReadOnlySpan<byte> DefaultJson => """
    {
      "aliases": { "azure-openai": "openai", "google-vertex-ai": "google-ai-studio" },
      "providers": {
        "openai": {
          "gpt-5": { "input": 1.25, "output": 10.00, "cached_input": 0.125 },
          "gpt-5-mini": { "input": 0.25, "output": 2.00, "cached_input": 0.025 },
          "gpt-5-nano": { "input": 0.05, "output": 0.40, "cached_input": 0.005 },
          "gpt-4.1": { "input": 2.00, "output": 8.00, "cached_input": 0.50 },
          "gpt-4.1-mini": { "input": 0.40, "output": 1.60, "cached_input": 0.10 },
          "gpt-4.1-nano": { "input": 0.10, "output": 0.40, "cached_input": 0.025 },
          "gpt-4o": { "input": 2.50, "output": 10.00, "cached_input": 1.25 },
          "gpt-4o-mini": { "input": 0.15, "output": 0.60, "cached_input": 0.075 },
          "o3": { "input": 2.00, "output": 8.00, "cached_input": 0.50 },
          "o4-mini": { "input": 1.10, "output": 4.40, "cached_input": 0.275 },
          "text-embedding-3-small": { "input": 0.02, "output": 0 },
          "text-embedding-3-large": { "input": 0.13, "output": 0 }
        },
        "anthropic": {
          "claude-opus-4-1": { "input": 15.00, "output": 75.00, "cached_input": 1.50 },
          "claude-opus-4": { "input": 15.00, "output": 75.00, "cached_input": 1.50 },
          "claude-sonnet-4-5": { "input": 3.00, "output": 15.00, "cached_input": 0.30 },
          "claude-sonnet-4": { "input": 3.00, "output": 15.00, "cached_input": 0.30 },
          "claude-haiku-4-5": { "input": 1.00, "output": 5.00, "cached_input": 0.10 },
          "claude-3-5-haiku": { "input": 0.80, "output": 4.00, "cached_input": 0.08 },
          "claude-3-opus": { "input": 15.00, "output": 75.00, "cached_input": 1.50 },
          "claude-3-haiku": { "input": 0.25, "output": 1.25, "cached_input": 0.03 }
        },
        "google-ai-studio": {
          "gemini-3-pro-preview": { "input": 2.00, "output": 12.00, "cached_input": 0.20 },
          "gemini-2.5-pro": { "input": 1.25, "output": 10.00, "cached_input": 0.125 },
          "gemini-2.5-flash": { "input": 0.30, "output": 2.50, "cached_input": 0.03 },
          "gemini-2.5-flash-lite": { "input": 0.10, "output": 0.40, "cached_input": 0.01 },
          "gemini-2.0-flash": { "input": 0.10, "output": 0.40, "cached_input": 0.025 }
        },
        "aws-bedrock": {
          "amazon.nova-micro-v1": { "input": 0.035, "output": 0.14, "cached_input": 0.00875 },
          "amazon.nova-lite-v1": { "input": 0.06, "output": 0.24, "cached_input": 0.015 },
          "amazon.nova-pro-v1": { "input": 0.80, "output": 3.20, "cached_input": 0.20 },
          "anthropic.claude-sonnet-4-5": { "input": 3.00, "output": 15.00, "cached_input": 0.30 },
          "anthropic.claude-sonnet-4": { "input": 3.00, "output": 15.00, "cached_input": 0.30 },
          "anthropic.claude-3-5-haiku": { "input": 0.80, "output": 4.00, "cached_input": 0.08 }
        },
        "groq": {
          "llama-3.3-70b-versatile": { "input": 0.59, "output": 0.79 },
          "llama-3.1-8b-instant": { "input": 0.05, "output": 0.08 },
          "openai/gpt-oss-120b": { "input": 0.15, "output": 0.60 }
        },
        "mistral": {
          "mistral-large": { "input": 2.00, "output": 6.00 },
          "mistral-medium": { "input": 0.40, "output": 2.00 },
          "mistral-small": { "input": 0.10, "output": 0.30 },
          "codestral": { "input": 0.30, "output": 0.90 }
        },
        "deepseek": {
          "deepseek-chat": { "input": 0.28, "output": 0.42, "cached_input": 0.028 },
          "deepseek-reasoner": { "input": 0.28, "output": 0.42, "cached_input": 0.028 }
        },
        "grok": {
          "grok-4": { "input": 3.00, "output": 15.00, "cached_input": 0.75 },
          "grok-4-fast": { "input": 0.20, "output": 0.50, "cached_input": 0.05 },
          "grok-3": { "input": 3.00, "output": 15.00, "cached_input": 0.75 },
          "grok-3-mini": { "input": 0.30, "output": 0.50, "cached_input": 0.075 }
        },
        "workers-ai": {
          "@cf/meta/llama-3.1-8b-instruct": { "input": 0.282, "output": 0.827 },
          "@cf/meta/llama-3.3-70b-instruct-fp8-fast": { "input": 0.293, "output": 2.253 }
        },
        "cohere": {
          "command-a": { "input": 2.50, "output": 10.00 },
          "command-r-plus": { "input": 2.50, "output": 10.00 },
          "command-r": { "input": 0.15, "output": 0.60 },
          "command-r7b": { "input": 0.0375, "output": 0.15 }
        }
      }
    }
    """u8;
}

namespace Gateway.Fast; public static class Program { public static void Main(string[] args){} }

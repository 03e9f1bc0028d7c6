# Gateway.Fast on the ASP.NET runtime image: built in the SDK image, run as the image's non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Gateway.Fast/Gateway.Fast.csproj src/Gateway.Fast/
COPY src/Gateway.Fast.Dashboard/Gateway.Fast.Dashboard.csproj src/Gateway.Fast.Dashboard/
RUN dotnet restore src/Gateway.Fast/Gateway.Fast.csproj
COPY src/Gateway.Fast.Dashboard/ src/Gateway.Fast.Dashboard/
COPY src/Gateway.Fast/ src/Gateway.Fast/
RUN dotnet publish src/Gateway.Fast/Gateway.Fast.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# The data folder belongs to the image's non-root user (APP_UID, 1654): a named volume mounted there starts with this owner.
RUN mkdir -p /data && chown "$APP_UID" /data
USER $APP_UID
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    GATEWAY_DATA=/data \
    DOTNET_gcServer=1
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["dotnet", "Gateway.Fast.dll"]

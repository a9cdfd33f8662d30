# WeatherGinr, CPU flavour: the CLI, the embedded silo and the HTTP API in one image.
#   docker build -f docker/cpu.Dockerfile -t weatherginr:cpu .
#   docker run -p 5088:5088 -v weatherginr-data:/data weatherginr:cpu            # serve
#   docker run -v weatherginr-data:/data weatherginr:cpu demo --input /data/x.nc  # any verb
#
# Ubuntu 24.04 images: their libstdc++ has GLIBCXX_3.4.32, so TorchSharp needs no patch here, and
# the distribution names the NetCDF runtime libnetcdf19t64. Not built on the project's build
# machines (no Docker engine there); see README, "What these machines could not run".
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props WeatherGinr.sln ./
COPY src/ src/
RUN dotnet publish src/WeatherGinr.Cli/WeatherGinr.Cli.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble
RUN apt-get update \
    && apt-get install -y --no-install-recommends libnetcdf19t64 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
ENV WEATHERGINR_DATA=/data
RUN mkdir -p /data && chown app:app /data
VOLUME /data
EXPOSE 5088
USER app
ENTRYPOINT ["dotnet", "/app/weatherginr.dll"]
CMD ["serve", "--url", "http://0.0.0.0:5088"]

# syntax=docker/dockerfile:1
# The gateway image. Build:   docker build -t speech-gateway .
# Run:     docker run -p 8080:8080 -e Upstream__Endpoints__0__Url=ws://funasr:10095/ speech-gateway
# Configuration is by environment (ASP.NET Core: "Section__Key", e.g. Admission__MaxClients=500, Jobs__Redis=redis:6379).
# The build steps are build/publish.sh, which the test suite also runs (Packaging/PublishScriptTests).
# Base images are build arguments, so a mirror or a locally built base can stand in (docs/deployment.md).
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM ${SDK_IMAGE} AS build
# npm restores the VAD model during the build (build/VadModel.targets checks its sha256).
RUN command -v npm >/dev/null 2>&1 || { apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*; }
WORKDIR /src
COPY . .
RUN rm -rf models/silero_vad.onnx models/.restore && bash build/publish.sh /app

FROM ${RUNTIME_IMAGE}
# ffmpeg decodes job uploads and ingests; curl is the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && (id -u gateway >/dev/null 2>&1 || useradd --system --uid 10001 --home-dir /var/lib/gateway --create-home gateway) \
 && mkdir -p /var/lib/gateway/jobs && chown -R gateway /var/lib/gateway
WORKDIR /app
COPY --from=build /app ./
USER gateway
# Listen on every interface (auth turns on by itself for a non-loopback bind: configure Auth__Keys__0__*).
ENV Urls=http://0.0.0.0:8080 \
    Jobs__DataDirectory=/var/lib/gateway/jobs \
    DOTNET_gcServer=0
EXPOSE 8080
# Liveness only: /readyz (upstreams, Redis, draining) is for load balancers, not for restarting the container.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
# A stop is SIGTERM: readiness turns false, Sessions:PreStopDelay keeps serving, then sessions drain (1001).
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "Gateway.Server.dll"]

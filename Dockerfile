# Build: the release binary, with the migrations and demo data compiled in.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked

# Run: a small image with the binary and curl for the health check.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 casebook
COPY --from=build /src/target/release/casebook /usr/local/bin/casebook
USER casebook
ENV CASEBOOK_ADDR=0.0.0.0:8080 \
    CASEBOOK_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/health || exit 1
ENTRYPOINT ["casebook"]
CMD ["serve"]

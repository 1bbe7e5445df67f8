# blastradius and blastradius-draw in a small image for CI.
#   docker build -t blastradius .
#   docker run --rm -v "$PWD:/work" blastradius check models/sel.yaml
# Both programs are static (no cgo: Graphviz runs as WebAssembly), run as
# an unprivileged user, and git is included for REV:PATH versions.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/ ./cmd/blastradius ./cmd/blastradius-draw

FROM alpine:3.22
RUN apk add --no-cache git \
 && adduser -D -u 10001 blastradius \
 && git config --system --add safe.directory '*'
COPY --from=build /out/blastradius /out/blastradius-draw /usr/local/bin/
USER 10001:10001
WORKDIR /work
ENTRYPOINT ["blastradius"]
CMD ["help"]

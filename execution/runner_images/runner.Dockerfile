# Runner image recipe for machines that can pull from a registry
# (manage.py build_runner_images --from-registry), shared by every language: PACKAGES comes from
# the language's entry in execution/languages.py. A language may bring its own <key>.Dockerfile.
FROM debian:bookworm-slim
ARG PACKAGES
ARG RUNNER_UID=10000
ARG KEEPER_UID=10001
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${PACKAGES} \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /usr/share/doc/* /usr/share/man/* \
           /usr/share/info/* /usr/share/locale/* /var/log/* \
 && useradd --uid ${RUNNER_UID} --user-group --no-create-home --home-dir /sandbox \
            --shell /usr/sbin/nologin runner \
 && useradd --uid ${KEEPER_UID} --user-group --no-create-home --home-dir /sandbox \
            --shell /usr/sbin/nologin keeper \
 && mkdir -p /sandbox && chown runner:runner /sandbox \
 && find / -xdev -type f -perm /6000 -exec chmod a-s {} +
ENV PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8
USER runner
WORKDIR /sandbox
CMD ["sleep", "infinity"]

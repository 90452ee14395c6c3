# The image every Airflow service of docker-compose.yaml runs: Airflow 3.3.2 with this project and its
# pinned runtime dependencies installed at build time (never at container start).
#
#   docker compose build                      # or: docker build -t airflow-jetshop-hogia:0.1.0 .
#   docker build --target simulators .        # + the two simulators, for the compose `demo` profile
#
# The last stage (`production`) is the default target; the simulators are never in it.
#
# Python 3.11: requirements.txt + constraints.txt are a resolution tested on Python 3.11, so the image
# uses the 3.11 variant of the official apache/airflow:3.3.2 image.
#
# tests/deploy/test_image_install.py runs the install commands of this file (the lines between the
# `install-step` markers), word for word, in a clean virtualenv: see docs/deployment.md for what that
# proves and what only a real `docker build` can.

ARG AIRFLOW_IMAGE=apache/airflow:3.3.2-python3.11

# --- stage 1: the project's wheel (built once; the runtime stage gets only the wheel) ------------------
FROM ${AIRFLOW_IMAGE} AS wheel
# created by the image's unprivileged user, so the in-tree build below may write into it
RUN mkdir -p /tmp/src
WORKDIR /tmp/src
COPY --chown=airflow:0 pyproject.toml README.md requirements.txt constraints.txt ./
COPY --chown=airflow:0 include/jetshop_hogia include/jetshop_hogia
COPY --chown=airflow:0 plugins/jetshop_hogia_provider plugins/jetshop_hogia_provider
# install-step: wheel
RUN python -m pip install --no-cache-dir $(grep -E '^(setuptools|wheel)==' requirements.txt) \
    && python -m pip wheel --no-cache-dir --no-deps --no-build-isolation --wheel-dir /tmp/dist .
# end-install-step

# --- stage 2: the runtime image ------------------------------------------------------------------------
FROM ${AIRFLOW_IMAGE} AS runtime
LABEL org.opencontainers.image.title="airflow-jetshop-hogia" \
      org.opencontainers.image.description="Airflow 3.3.2 with the Jetshop ↔ Hogia Smart sync package"
USER airflow
COPY --chown=airflow:0 requirements.txt constraints.txt /opt/jetshop-hogia/
COPY --chown=airflow:0 --from=wheel /tmp/dist/ /opt/jetshop-hogia/dist/
# The runtime part of requirements.txt is everything above its "# test and development tools" line
# (test runners, linters and type stubs stay out of production); constraints.txt pins every transitive
# version; the project itself is installed without dependencies, so nothing unpinned can slip in.
# install-step: runtime
RUN sed '/^# test and development tools/,$d' /opt/jetshop-hogia/requirements.txt > /tmp/requirements-runtime.txt \
    && python -m pip install --no-cache-dir -r /tmp/requirements-runtime.txt -c /opt/jetshop-hogia/constraints.txt \
    && python -m pip install --no-cache-dir --no-deps /opt/jetshop-hogia/dist/*.whl \
    && rm /tmp/requirements-runtime.txt
# end-install-step
COPY --chown=airflow:0 dags/ /opt/airflow/dags/
ENV JETSHOP_HOGIA_TENANTS_DIR=/opt/airflow/tenants
# The demo tenants as a default; a deployment mounts its own folder over it (docker-compose.yaml).
COPY --chown=airflow:0 include/tenants/ /opt/airflow/tenants/

# --- stage 3: runtime + the two simulators (compose `demo` profile only; never deployed) -------------
FROM runtime AS simulators
COPY --chown=airflow:0 include/jetshop_hogia_simulators /opt/jetshop-hogia/simulators/jetshop_hogia_simulators
ENV PYTHONPATH=/opt/jetshop-hogia/simulators

# --- the default target: what `docker build .` produces and every Airflow service runs ----------------
FROM runtime AS production

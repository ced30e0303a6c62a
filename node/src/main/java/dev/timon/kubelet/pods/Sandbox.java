package dev.timon.kubelet.pods;

import runtime.v1.Api.PodSandboxConfig;

/** A pod's running sandbox: its id, the config it was started with (CreateContainer repeats it) and its IP. */
record Sandbox(String id, PodSandboxConfig config, String podIp) {
}

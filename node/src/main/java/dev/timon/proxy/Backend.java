package dev.timon.proxy;

/** One endpoint address and port a service port forwards to, with the node the endpoint runs on (may be null). */
public record Backend(String ip, int port, String nodeName) {
}

package dev.timon.kubelet.server;

import io.vertx.core.MultiMap;

import java.util.List;

/** The query of {@code /exec} and {@code /attach}: which streams the client wants, and the command for exec. */
record RemoteCommandOptions(List<String> command, boolean stdin, boolean stdout, boolean stderr, boolean tty) {

    static RemoteCommandOptions parse(MultiMap params) {
        boolean tty = LogOptions.flag(params, "tty");
        RemoteCommandOptions options = new RemoteCommandOptions(params.getAll("command"), LogOptions.flag(params, "stdin"),
                LogOptions.flag(params, "stdout"), LogOptions.flag(params, "stderr") && !tty, tty);
        if (!options.stdin && !options.stdout && !options.stderr) {
            throw new IllegalArgumentException("you must specify at least one of stdin, stdout, stderr");
        }
        return options;
    }
}

/*
 * Timon's pod sandbox process: holds the pod's namespaces open, reaps orphaned children
 * (it is PID 1 when the pod shares its PID namespace) and exits cleanly on SIGTERM/SIGINT.
 * Built with `gcc -static` by scripts/node-runtime.sh (images_build_and_push).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int signo) {
    (void) signo;
    _exit(0);
}

static void reap(int signo) {
    (void) signo;
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
}

static void on(int signo, void (*handler)(int), int flags) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    action.sa_flags = flags;
    if (sigaction(signo, &action, NULL) < 0) {
        perror("pause: sigaction");
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        puts("timon-pause");
        return 0;
    }
    if (getpid() != 1) {
        /* Not fatal: the sandbox may run in the host PID namespace. */
        fputs("pause: warning: not PID 1\n", stderr);
    }
    on(SIGINT, stop, 0);
    on(SIGTERM, stop, 0);
    on(SIGCHLD, reap, SA_NOCLDSTOP | SA_RESTART);
    for (;;) {
        pause();
    }
}

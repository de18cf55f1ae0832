/* The cluster lab's sandbox ("pause") container: holds the pod's namespaces, reaps what ends up
 * as its children, and exits on SIGTERM or SIGINT. Linked statically, so that the image is this
 * one file. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void quit(int sig) {
    (void) sig;
    _exit(0);
}

static void reap(int sig) {
    (void) sig;
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
}

int main(void) {
    signal(SIGTERM, quit);
    signal(SIGINT, quit);
    signal(SIGCHLD, reap);
    for (;;) {
        pause();
    }
}

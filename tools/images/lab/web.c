/* The cluster lab's web pod: answers every HTTP request on port 8080 (PORT overrides it) with the
 * name of the node it runs on (NODE_NAME, from the downward API) and a newline, then closes the
 * connection. The lab's client reads the answer to see which node's pod served it. Linked
 * statically, so that the image is this one file. */
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void quit(int sig) {
    (void) sig;
    _exit(0);
}

int main(void) {
    /* PID 1 of a container ignores signals it has no handler for. */
    signal(SIGTERM, quit);
    signal(SIGINT, quit);
    signal(SIGPIPE, SIG_IGN);
    const char *node = getenv("NODE_NAME");
    const char *port = getenv("PORT");
    char body[256];
    snprintf(body, sizeof body, "%s\n", node != NULL && *node != '\0' ? node : "unknown");
    char reply[512];
    int n = snprintf(reply, sizeof reply,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
            strlen(body), body);

    int s = socket(AF_INET6, SOCK_STREAM, 0);
    int family = AF_INET6;
    if (s < 0) {
        s = socket(AF_INET, SOCK_STREAM, 0);
        family = AF_INET;
    }
    int on = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    int bound;
    if (family == AF_INET6) {
        int off = 0;
        setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
        struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = in6addr_any,
                .sin6_port = htons(port != NULL ? atoi(port) : 8080)};
        bound = bind(s, (struct sockaddr *) &a, sizeof a);
    } else {
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_ANY),
                .sin_port = htons(port != NULL ? atoi(port) : 8080)};
        bound = bind(s, (struct sockaddr *) &a, sizeof a);
    }
    if (bound < 0 || listen(s, 128) < 0) {
        perror("web: bind/listen");
        return 1;
    }
    printf("web: serving %s on port %s\n", node != NULL ? node : "unknown", port != NULL ? port : "8080");
    fflush(stdout);
    for (;;) {
        int c = accept(s, NULL, NULL);
        if (c < 0) {
            continue;
        }
        /* The request is not parsed; reading some of it keeps the client from seeing a reset. */
        char buf[2048];
        (void) read(c, buf, sizeof buf);
        (void) write(c, reply, (size_t) n);
        shutdown(c, SHUT_WR);
        close(c);
    }
}

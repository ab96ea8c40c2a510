/*
 * kvd: the tutorial's tiny key-value server (docs/tutorial-own-system.md). One TCP port, one
 * request (one line) per connection, one connection at a time:
 *   PUT KEY VALUE   -> OK          (the value is a file KEY under the data directory)
 *   GET KEY         -> VALUE v | NONE
 *   NODE            -> the node name it was started with
 * With --sync 1 every PUT is fsync'ed before OK (it survives a power loss); with --sync 0 it is
 * not (a deliberately weaker system: an acknowledged write may be lost in a crash).
 *
 *   kvd --port 7000 --data /var/lib/vmc/kvd --node node1 --sync 1
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *data = "/var/lib/vmc/kvd", *node = "kvd";
static int sync_writes = 1;

static int valid_key(const char *k) {
    if (!*k || strlen(k) > 200) return 0;
    for (; *k; k++)
        if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') || *k == '-' || *k == '_'))
            return 0;
    return 1;
}

static void answer(FILE *out, char *line) {
    char path[512], buf[4096];
    line[strcspn(line, "\r\n")] = 0;
    char *cmd = strtok(line, " "), *key = strtok(NULL, " "), *value = strtok(NULL, "");
    if (cmd && !strcmp(cmd, "NODE")) { fprintf(out, "%s\n", node); return; }
    if (!cmd || !key || !valid_key(key)) { fprintf(out, "ERROR usage: PUT KEY VALUE | GET KEY | NODE\n"); return; }
    snprintf(path, sizeof path, "%s/%s", data, key);
    if (!strcmp(cmd, "PUT") && value) {
        char tmp[520];
        snprintf(tmp, sizeof tmp, "%s.tmp", path);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || write(fd, value, strlen(value)) < 0 || (sync_writes && fsync(fd) < 0) || close(fd) < 0
            || rename(tmp, path) < 0) {
            fprintf(out, "ERROR %s\n", strerror(errno));
            return;
        }
        if (sync_writes) { int d = open(data, O_RDONLY); if (d >= 0) { fsync(d); close(d); } }
        fprintf(out, "OK\n");
    } else if (!strcmp(cmd, "GET")) {
        FILE *f = fopen(path, "r");
        if (!f) { fprintf(out, "NONE\n"); return; }
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = 0;
        fprintf(out, "VALUE %s\n", buf);
    } else {
        fprintf(out, "ERROR usage: PUT KEY VALUE | GET KEY | NODE\n");
    }
}

int main(int argc, char **argv) {
    int port = 7000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port")) port = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--data")) data = argv[i + 1];
        else if (!strcmp(argv[i], "--node")) node = argv[i + 1];
        else if (!strcmp(argv[i], "--sync")) sync_writes = atoi(argv[i + 1]);
        else { fprintf(stderr, "kvd: unknown option %s\n", argv[i]); return 2; }
    }
    signal(SIGPIPE, SIG_IGN);
    mkdir(data, 0755);
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_ANY)};
    if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 16) < 0) { perror("kvd: listen"); return 1; }
    fprintf(stderr, "kvd: node %s listening on %d, data in %s, sync %d\n", node, port, data, sync_writes);
    for (;;) {
        int c = accept(s, NULL, NULL);
        if (c < 0) continue;
        FILE *in = fdopen(c, "r"), *out = fdopen(dup(c), "w");
        char line[4096];
        if (in && out && fgets(line, sizeof line, in)) { answer(out, line); fflush(out); }
        if (in) fclose(in);
        if (out) fclose(out);
    }
}

// Probe: the kernel's copies through many small iovecs against one contiguous buffer and a user-space copy, on one
// loopback TCP connection (127.0.0.1), for frames of [8-byte header][payload] as the rooted provider sends them.
// Sender: 0 = copy each payload from a 2 MiB slot ring into one 64 KiB chunk and send() it (what the root does);
//         1 = sendmsg() with two iovecs per frame straight from the slots (sending from registered slices).
// Receiver: 0 = recv() up to 64 KiB and copy each payload into a 2 MiB slot ring (what a RIO leaf does);
//           1 = recvmsg() with two iovecs per frame straight into the slots (scattering a read into the receives).
// Prints frames/s and each thread's CPU per frame: its whole path (system calls, the kernel's TCP and loopback work,
// the copies), not the copies alone. Bounded: at most 4 GB or 50 million frames per run; payloads up to 60,000 bytes.
//   gcc -O2 -pthread bench/probes/iovec_copies.c -o /tmp/iovec_copies
//   /tmp/iovec_copies PAYLOAD SENDER RECEIVER      e.g. /tmp/iovec_copies 1036 0 0
// Results on the benchmark machine: docs/benchmarks-fanout-notes.md, "Reading into the receives' slices".
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>
static int P, FR, SMODE, RMODE; static long TOTAL;
static double tcpu(void){struct timespec t;clock_gettime(CLOCK_THREAD_CPUTIME_ID,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static double wall(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static int sfd, rfd; static double scpu, rcpu;
#define RING (2<<20)
static void* sender(void*a){ (void)a;
  int per = 65536/FR; if (per>511) per=511; if (per<1) per=1;
  char* ring = aligned_alloc(64, RING); memset(ring, 1, RING); int slots = RING/P, si=0;
  char* chunk = aligned_alloc(64, 65536+4096); char hdr[511][8]; memset(hdr,7,sizeof hdr);
  struct iovec v[1024]; double c0=tcpu(); long sent=0;
  while (sent < TOTAL) {
    int n = per;
    if (SMODE==0) { int o=0; for(int i=0;i<n;i++){ memcpy(chunk+o,hdr[i],8); memcpy(chunk+o+8, ring+(size_t)si*P, P); o+=FR; si=(si+1)%slots; }
      int off=0; while(off<o){ ssize_t w=send(sfd,chunk+off,o-off,0); if(w<=0){perror("send");exit(1);} off+=w; } }
    else { int k=0; for(int i=0;i<n;i++){ v[k].iov_base=hdr[i]; v[k++].iov_len=8; v[k].iov_base=ring+(size_t)si*P; v[k++].iov_len=P; si=(si+1)%slots; }
      struct msghdr m={0}; m.msg_iov=v; m.msg_iovlen=k; ssize_t w=sendmsg(sfd,&m,0); if(w!=(ssize_t)n*FR){fprintf(stderr,"short send %zd\n",w);exit(1);} }
    sent+=n; }
  scpu=tcpu()-c0; shutdown(sfd,SHUT_WR); return 0; }
static void* receiver(void*a){ (void)a;
  char* ring = aligned_alloc(64, RING); memset(ring,0,RING); int slots=RING/P, si=0;
  char* buf = aligned_alloc(64, 65536+4096); char hdr[511][8];
  int per = 65536/FR; if (per>511) per=511; if (per<1) per=1;
  struct iovec v[1024]; double c0=tcpu(); long got=0; long carry=0; // bytes of a partial frame in buf
  while (1) {
    ssize_t r;
    if (RMODE==0) { r = recv(rfd, buf+carry, per*FR - carry, 0); if (r<=0) break; long have=carry+r; long o=0;
      while (have-o >= FR) { memcpy(ring+(size_t)si*P, buf+o+8, P); si=(si+1)%slots; o+=FR; got++; }
      carry = have-o; if (carry) memmove(buf, buf+o, carry); }
    else { // scatter, fixed frames; a partial frame is finished by a read of its rest
      if (carry) { r = recv(rfd, buf, carry, MSG_WAITALL); if (r<=0) break; got++; carry=0; continue; }
      int k=0; for(int i=0;i<per;i++){ v[k].iov_base=hdr[i]; v[k++].iov_len=8; v[k].iov_base=ring+(size_t)((si+i)%slots)*P; v[k++].iov_len=P; }
      struct msghdr m={0}; m.msg_iov=v; m.msg_iovlen=k; r=recvmsg(rfd,&m,0); if(r<=0) break;
      long f=r/FR; got+=f; si=(si+f)%slots; long rest=r-f*FR; if(rest){ carry=FR-rest; si=(si+1)%slots; } }
  }
  rcpu=tcpu()-c0; if (got < TOTAL-1) fprintf(stderr,"got %ld of %ld\n", got, TOTAL); return 0; }
int main(int c, char**v){
  if (c != 4) { fprintf(stderr, "usage: %s PAYLOAD SENDER(0|1) RECEIVER(0|1)\n", v[0]); return 2; }
  P=atoi(v[1]); SMODE=atoi(v[2]); RMODE=atoi(v[3]);
  if (P < 1 || P > 60000 || (SMODE != 0 && SMODE != 1) || (RMODE != 0 && RMODE != 1)) { fprintf(stderr, "PAYLOAD 1..60000, modes 0 or 1\n"); return 2; }
  FR=P+8; TOTAL=(long)(4e9/FR); if (TOTAL>50000000) TOTAL=50000000;
  int l=socket(AF_INET,SOCK_STREAM,0); struct sockaddr_in a={.sin_family=AF_INET,.sin_addr.s_addr=htonl(INADDR_LOOPBACK)}; socklen_t al=sizeof a;
  if (l<0 || bind(l,(void*)&a,al) || listen(l,1) || getsockname(l,(void*)&a,&al)) { perror("listen on 127.0.0.1"); return 1; }
  sfd=socket(AF_INET,SOCK_STREAM,0);
  if (sfd<0 || connect(sfd,(void*)&a,al)) { perror("connect"); return 1; }
  rfd=accept(l,0,0); if (rfd<0) { perror("accept"); return 1; }
  int one=1; setsockopt(sfd,IPPROTO_TCP,TCP_NODELAY,&one,sizeof one);
  pthread_t s,r; double w0=wall(); pthread_create(&r,0,receiver,0); pthread_create(&s,0,sender,0); pthread_join(s,0); pthread_join(r,0); double w=wall()-w0;
  printf("P=%d send=%s recv=%s: %.2f Mframes/s, sender %.0f ns/frame, receiver %.0f ns/frame\n", P, SMODE?"gather":"copy+send", RMODE?"scatter":"recv+copy", TOTAL/w/1e6, scpu/TOTAL*1e9, rcpu/TOTAL*1e9);
  return 0; }

# Lab helper used to make the nmap test inputs (see README.md): accept TCP connections and send a banner.
import socket, sys, threading
host, port, banner = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode().decode('unicode_escape').encode()
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((host, port)); s.listen(50)
def h(c):
    try:
        c.sendall(banner); c.settimeout(5); c.recv(1024)
    except Exception: pass
    finally: c.close()
while True:
    c, _ = s.accept(); threading.Thread(target=h, args=(c,), daemon=True).start()

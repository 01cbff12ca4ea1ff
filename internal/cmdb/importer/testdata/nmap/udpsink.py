# Lab helper used to make the nmap test inputs (see README.md): a UDP port that never answers.
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((sys.argv[1], int(sys.argv[2])))
while True: s.recvfrom(2048)

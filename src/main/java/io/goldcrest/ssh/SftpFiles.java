package io.goldcrest.ssh;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.sftp.client.RawSftpClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.DirEntry;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.client.impl.SftpResponse;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * {@link RemoteFiles} on one SFTP channel held exclusively by the calling request. Every request is
 * watched by {@link Stall}: a server that stops answering has its channel closed, which fails the
 * pending call, and the request answers 408.
 */
final class SftpFiles implements RemoteFiles {
    /** OpenSSH's sftp-server (since 9.1) maps ids to names in one round trip. */
    static final String NAMES_EXTENSION = "users-groups-by-id@openssh.com";
    private static final int CHUNK = 64 * 1024;

    private final SftpClient client;
    private final Stall stall;

    SftpFiles(SftpClient client, Stall stall) {
        this.client = client;
        this.stall = stall;
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    private <T> T call(Call<T> call) {
        try {
            T result = call.run();
            stall.progress();
            return result;
        } catch (SftpException e) {
            stall.progress();
            throw refused(e);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private GoldcrestException failure(IOException e) {
        if (stall.fired()) {
            return new GoldcrestException(ErrorCode.COMMAND_TIMEOUT, "Command execution timeout limit exceeded.");
        }
        if (!client.getSession().isOpen() || client.getSession().isClosing()) {
            return new GoldcrestException(ErrorCode.SSH_CONNECTION_FAILED, "SSH connection Reset.");
        }
        return new GoldcrestException(ErrorCode.SSH_CHANNEL_FAILED, "SFTP channel failed.",
                new GoldcrestException(ErrorCode.SSH_CHANNEL_FAILED, e.getClass().getSimpleName()));
    }

    private static RemoteFileException refused(SftpException e) {
        RemoteFileException.Reason reason = switch (e.getStatus()) {
            case SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH -> RemoteFileException.Reason.NO_SUCH_FILE;
            case SftpConstants.SSH_FX_PERMISSION_DENIED -> RemoteFileException.Reason.PERMISSION_DENIED;
            case SftpConstants.SSH_FX_OP_UNSUPPORTED -> RemoteFileException.Reason.UNSUPPORTED;
            case SftpConstants.SSH_FX_BAD_MESSAGE -> RemoteFileException.Reason.BAD_MESSAGE;
            default -> RemoteFileException.Reason.FAILURE;
        };
        return new RemoteFileException(reason, e.getMessage() == null ? reason.name() : e.getMessage());
    }

    private static FileAttributes attributes(Attributes attributes) {
        return new FileAttributes(attributes.getSize(), attributes.getUserId(), attributes.getGroupId(),
                attributes.getPermissions(),
                attributes.getAccessTime() == null ? 0 : attributes.getAccessTime().toMillis() / 1000,
                attributes.getModifyTime() == null ? 0 : attributes.getModifyTime().toMillis() / 1000);
    }

    @Override
    public FileAttributes lstat(String path) {
        return call(() -> attributes(client.lstat(FileNames.toWire(path))));
    }

    @Override
    public FileAttributes stat(String path) {
        return call(() -> attributes(client.stat(FileNames.toWire(path))));
    }

    @Override
    public void list(String directory, Consumer<Entry> sink) {
        CloseableHandle handle = call(() -> client.openDir(FileNames.toWire(directory)));
        try {
            while (true) {
                List<DirEntry> batch = call(() -> client.readDir(handle));
                if (batch == null) {
                    break;
                }
                for (DirEntry entry : batch) {
                    String name = entry.getFilename();
                    if (!name.equals(".") && !name.equals("..")) {
                        sink.accept(new Entry(FileNames.fromWire(name), attributes(entry.getAttributes())));
                    }
                }
            }
        } finally {
            closeQuietly(handle);
        }
    }

    @Override
    public String readLink(String path) {
        return call(() -> FileNames.fromWire(client.readLink(FileNames.toWire(path))));
    }

    @Override
    public void mkdir(String path) {
        call(() -> {
            client.mkdir(FileNames.toWire(path));
            return null;
        });
    }

    @Override
    public void rmdir(String path) {
        call(() -> {
            client.rmdir(FileNames.toWire(path));
            return null;
        });
    }

    @Override
    public void remove(String path) {
        call(() -> {
            client.remove(FileNames.toWire(path));
            return null;
        });
    }

    @Override
    public void chmod(String path, int permissions) {
        call(() -> {
            client.setStat(FileNames.toWire(path), new Attributes().perms(permissions));
            return null;
        });
    }

    @Override
    public void symlink(String target, String linkPath) {
        call(() -> {
            client.symLink(FileNames.toWire(linkPath), FileNames.toWire(target));
            return null;
        });
    }

    @Override
    public long read(String path, long offset, long length, OutputStream sink) {
        CloseableHandle handle = call(() -> client.open(FileNames.toWire(path), OpenMode.Read));
        try {
            byte[] buffer = new byte[(int) Math.min(CHUNK, Math.max(1, length))];
            long copied = 0;
            while (copied < length) {
                int want = (int) Math.min(buffer.length, length - copied);
                long position = offset + copied;
                int got = call(() -> client.read(handle, position, buffer, 0, want));
                if (got < 0) {
                    break;
                }
                try {
                    sink.write(buffer, 0, got);
                } catch (IOException e) {
                    throw new GoldcrestException(ErrorCode.INTERNAL, "The client went away during the download", e);
                }
                copied += got;
            }
            return copied;
        } finally {
            closeQuietly(handle);
        }
    }

    @Override
    public long write(String path, InputStream source) {
        CloseableHandle handle = call(() -> client.open(FileNames.toWire(path), OpenMode.Write, OpenMode.Create, OpenMode.Truncate));
        try {
            byte[] buffer = new byte[CHUNK];
            long written = 0;
            while (true) {
                int got;
                try {
                    got = source.read(buffer);
                } catch (IOException e) {
                    throw new GoldcrestException(ErrorCode.INTERNAL, "Reading the uploaded file failed", e);
                }
                if (got < 0) {
                    return written;
                }
                long position = written;
                call(() -> {
                    client.write(handle, position, buffer, 0, got);
                    return null;
                });
                written += got;
            }
        } finally {
            closeQuietly(handle);
        }
    }

    @Override
    public Names names(Set<Integer> uids, Set<Integer> gids) {
        if (!client.getServerExtensions().containsKey(NAMES_EXTENSION) || !(client instanceof RawSftpClient raw)) {
            throw new RemoteFileException(RemoteFileException.Reason.UNSUPPORTED, NAMES_EXTENSION + " is not supported");
        }
        List<Integer> userIds = new ArrayList<>(uids);
        List<Integer> groupIds = new ArrayList<>(gids);
        Buffer request = new ByteArrayBuffer();
        request.putString(NAMES_EXTENSION);
        request.putBytes(packedIds(userIds));
        request.putBytes(packedIds(groupIds));
        Buffer reply = call(() -> raw.receive(raw.send(SftpConstants.SSH_FXP_EXTENDED, request)));
        SftpResponse response = call(() -> SftpResponse.parse(SftpConstants.SSH_FXP_EXTENDED, reply));
        if (response.getType() != SftpConstants.SSH_FXP_EXTENDED_REPLY) {
            throw new RemoteFileException(RemoteFileException.Reason.UNSUPPORTED, NAMES_EXTENSION + " failed");
        }
        Buffer body = response.getBuffer();
        return new Names(unpackNames(new ByteArrayBuffer(body.getBytes()), userIds),
                unpackNames(new ByteArrayBuffer(body.getBytes()), groupIds));
    }

    private static byte[] packedIds(List<Integer> ids) {
        Buffer packed = new ByteArrayBuffer(ids.size() * 4 + 8);
        ids.forEach(id -> packed.putUInt(Integer.toUnsignedLong(id)));
        return packed.getCompactData();
    }

    /** One string per asked id, in order; an empty string means the id has no name. */
    private static Map<Integer, String> unpackNames(Buffer names, List<Integer> ids) {
        Map<Integer, String> result = new HashMap<>();
        for (Integer id : ids) {
            String name = names.getString(StandardCharsets.UTF_8);
            if (!name.isEmpty()) {
                result.put(id, name);
            }
        }
        return result;
    }

    private void closeQuietly(CloseableHandle handle) {
        if (stall.fired()) {
            return;
        }
        try {
            handle.close();
        } catch (IOException e) {
            // The request's own outcome is what matters; a stuck close is caught by the watchdog.
        }
    }
}

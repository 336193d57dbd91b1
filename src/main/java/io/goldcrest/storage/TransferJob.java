package io.goldcrest.storage;

import static io.goldcrest.ssh.ShellQuoting.quote;

import io.goldcrest.filesystem.Compression;
import io.goldcrest.filesystem.RemotePaths;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The body of one transfer job script: a few bash lines around the core command, ending with the
 * success line FirecREST clients look for in the job's output log (pyfirecrest reads it through
 * {@code ops/view}). Every user value is a single-quoted shell word assigned to a variable and used
 * quoted after {@code --}; FirecREST HTML-escapes instead, which corrupts names with {@code &} or {@code '}.
 * Presigned URLs never appear on a command line (other users can read those with {@code ps}): they
 * reach curl through its config on stdin, written by the shell's builtin {@code printf}.
 */
public sealed interface TransferJob {
    /** The scheduler job name FirecREST gives this kind of job. */
    String jobName();

    /**
     * The task operation word: {@code mv}, {@code cp}, {@code rsync}, {@code rm}, {@code compress},
     * {@code extract}, {@code upload}, {@code download}.
     */
    String operation();

    /** The lines after the envelope ({@link TransferScript}), which has set {@code -e} and defined {@code log}. */
    String body();

    record Move(String source, String target) implements TransferJob {
        public Move {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
        }

        @Override public String jobName() { return "MoveFiles"; }

        @Override public String operation() { return "mv"; }

        @Override
        public String body() {
            return "source=" + quote(source) + "\ntarget=" + quote(target) + "\n"
                    + "mv -- \"$source\" \"$target\"\n"
                    + "log 'Files were successfully moved.'\n";
        }
    }

    /** @param dereference follow symbolic links and copy what they point to, instead of the links */
    record Copy(String source, String target, boolean dereference) implements TransferJob {
        public Copy {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
        }

        @Override public String jobName() { return "CopyFiles"; }

        @Override public String operation() { return "cp"; }

        @Override
        public String body() {
            return "source=" + quote(source) + "\ntarget=" + quote(target) + "\n"
                    + "cp --force -R" + (dereference ? "L" : "d") + " --preserve=all -- \"$source\" \"$target\"\n"
                    + "log 'Files were successfully copied.'\n";
        }
    }

    /** FirecREST v1's {@code xfer-internal/rsync}: {@code rsync -av}, with the trailing-slash rules of rsync itself. */
    record Rsync(String source, String target) implements TransferJob {
        public Rsync {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
        }

        @Override public String jobName() { return "RsyncFiles"; }

        @Override public String operation() { return "rsync"; }

        @Override
        public String body() {
            return "source=" + quote(source) + "\ntarget=" + quote(target) + "\n"
                    + "rsync -av -- \"$source\" \"$target\"\n"
                    + "log 'Files were successfully synchronized.'\n";
        }
    }

    record Delete(String path) implements TransferJob {
        public Delete {
            Objects.requireNonNull(path, "path");
        }

        @Override public String jobName() { return "DeleteFiles"; }

        @Override public String operation() { return "rm"; }

        @Override
        public String body() {
            return "path=" + quote(path) + "\n"
                    + "rm -R -- \"$path\"\n"
                    + "log 'Files were successfully deleted.'\n";
        }
    }

    /**
     * {@code tar -c} of {@code source} relative to its parent directory, or with {@code matchPattern}
     * only the regular files under it whose {@code ./name/...} path matches the {@code find -regex},
     * as {@code ops/compress} does.
     */
    record Compress(String source, String target, Optional<String> matchPattern, boolean dereference,
                    Compression compression) implements TransferJob {
        public Compress {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(matchPattern, "matchPattern");
            Objects.requireNonNull(compression, "compression");
        }

        @Override public String jobName() { return "CompressFiles"; }

        @Override public String operation() { return "compress"; }

        @Override
        public String body() {
            String[] parts = RemotePaths.split(source);
            String options = (dereference ? "--dereference " : "") + "-c" + compression.tarLetter() + "vf";
            StringBuilder out = new StringBuilder()
                    .append("directory=").append(quote(parts[0])).append('\n')
                    .append("name=").append(quote(parts[1])).append('\n')
                    .append("target=").append(quote(target)).append('\n');
            if (matchPattern.isPresent()) {
                out.append("pattern=").append(quote(matchPattern.get())).append('\n')
                        .append("cd -- \"$directory\"\n")
                        .append("find \"./$name\" -type f -regex \"$pattern\" -print0 | tar ").append(options)
                        .append(" \"$target\" --null --files-from -\n");
            } else {
                out.append("tar ").append(options).append(" \"$target\" -C \"$directory\" -- \"$name\"\n");
            }
            return out.append("log 'Files were successfully compressed.'\n").toString();
        }
    }

    record Extract(String source, String target, Compression compression) implements TransferJob {
        public Extract {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(compression, "compression");
        }

        // FirecREST names extraction jobs like compression ones; clients may filter on it.
        @Override public String jobName() { return "CompressFiles"; }

        @Override public String operation() { return "extract"; }

        @Override
        public String body() {
            return "source=" + quote(source) + "\ntarget=" + quote(target) + "\n"
                    + "tar -x" + compression.tarLetter() + "f \"$source\" -C \"$target\"\n"
                    + "log 'Files were successfully extracted.'\n";
        }
    }

    /**
     * A ZIP archive extracted into {@code target} (FirecREST v1 extracts {@code .zip} files with unzip).
     * unzip reads its archive argument as a wildcard pattern, and a name such as {@code a[1].zip} could
     * then open another archive, so unzip is given a symbolic link with a plain name in a private
     * temporary directory instead.
     */
    record Unzip(String source, String target) implements TransferJob {
        public Unzip {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
        }

        @Override public String jobName() { return "CompressFiles"; }

        @Override public String operation() { return "extract"; }

        @Override
        public String body() {
            return "source=" + quote(source) + "\ntarget=" + quote(target) + "\n"
                    + "case \"$source\" in /*) ;; *) source=\"$PWD/$source\" ;; esac\n"
                    + "work=$(mktemp -d)\n"
                    + "trap 'rm -rf -- \"$work\"' EXIT\n"
                    + "ln -s -- \"$source\" \"$work/archive.zip\"\n"
                    + "unzip -o \"$work/archive.zip\" -d \"$target\"\n"
                    + "log 'Files were successfully extracted.'\n";
        }
    }

    /**
     * External → cluster: waits until the client has completed its multipart upload (HEAD on the
     * object), then downloads it beside the target and renames it into place, so the target is
     * never half-written. Gives up at {@code deadlineEpochSeconds} (the part URLs have expired by
     * then) with exit code {@value #EXIT_UPLOAD_NEVER_COMPLETED}.
     */
    record Ingress(String target, URI headUrl, URI getUrl, long deadlineEpochSeconds, long pollSeconds)
            implements TransferJob {
        public static final int EXIT_TARGET_IS_DIRECTORY = 3;
        public static final int EXIT_UPLOAD_NEVER_COMPLETED = 4;
        public static final int EXIT_DOWNLOAD_FAILED = 5;

        public Ingress {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(headUrl, "headUrl");
            Objects.requireNonNull(getUrl, "getUrl");
        }

        @Override public String jobName() { return "IngressFileTransfer"; }

        @Override public String operation() { return "upload"; }

        @Override
        public String body() {
            String[] parts = RemotePaths.split(target);
            return "target=" + quote(target) + "\n"
                    + "partial=" + quote(RemotePaths.join(parts[0], ".goldcrest-partial-" + parts[1])) + "\n"
                    + "head_url=" + quote(headUrl.toString()) + "\n"
                    + "get_url=" + quote(getUrl.toString()) + "\n"
                    + "deadline=" + deadlineEpochSeconds + "\n"
                    + "if [ -d \"$target\" ]; then\n"
                    + "  echo \"$(date -u) The target $target is a directory; give the path of a file.\" >&2\n"
                    + "  exit " + EXIT_TARGET_IS_DIRECTORY + "\n"
                    + "fi\n"
                    + "log 'Waiting for the file to be uploaded to the staging area...'\n"
                    + "until [ \"$(printf 'url = \"%s\"\\n' \"$head_url\" | curl --silent --head --output /dev/null --write-out '%{http_code}' --config -)\" = 200 ]; do\n"
                    + "  if [ \"$(date +%s)\" -ge \"$deadline\" ]; then\n"
                    + "    echo \"$(date -u) The upload was not completed before its URLs expired.\" >&2\n"
                    + "    exit " + EXIT_UPLOAD_NEVER_COMPLETED + "\n"
                    + "  fi\n"
                    + "  sleep " + pollSeconds + "\n"
                    + "done\n"
                    + "log \"File found in the staging area; downloading it to $target\"\n"
                    + "trap 'rm -f -- \"$partial\"' EXIT\n"
                    + "if ! printf 'url = \"%s\"\\n' \"$get_url\" | curl --silent --show-error --fail --retry 3 --output \"$partial\" --config -; then\n"
                    + "  echo \"$(date -u) Unable to download the file from the staging area.\" >&2\n"
                    + "  exit " + EXIT_DOWNLOAD_FAILED + "\n"
                    + "fi\n"
                    + "mv -f -- \"$partial\" \"$target\"\n"
                    + "trap - EXIT\n"
                    + "size=$(stat -c %s -- \"$target\")\n"
                    + "log \"File was successfully downloaded (size: $(awk -v b=\"$size\" 'BEGIN { printf \"%0.3f\", b / 1048576 }')MB)\"\n";
        }
    }

    /**
     * Cluster → external: uploads {@code source} into the staging multipart upload, {@code parallelRuns}
     * parts at a time, retrying a failed part once, then completes it. Each part is streamed from the
     * file; {@code tmpDirectory} only holds a private work directory for headers and ETags (removed at the end).
     * Exit codes as FirecREST's: 34 no input or no temporary directory, 27 the file outgrew the
     * planned parts, 70 the upload could not be completed.
     */
    record Egress(String source, List<URI> partUrls, URI completeUrl, long partSize, int parallelRuns,
                  String tmpDirectory) implements TransferJob {
        public static final int EXIT_NO_INPUT = 34;
        public static final int EXIT_TOO_BIG = 27;
        public static final int EXIT_NOT_COMPLETED = 70;

        public Egress {
            Objects.requireNonNull(source, "source");
            partUrls = List.copyOf(partUrls);
            Objects.requireNonNull(completeUrl, "completeUrl");
            Objects.requireNonNull(tmpDirectory, "tmpDirectory");
            if (partUrls.isEmpty()) {
                throw new IllegalArgumentException("partUrls: at least one part is needed");
            }
        }

        @Override public String jobName() { return "OutgressFileTransfer"; }

        @Override public String operation() { return "download"; }

        @Override
        public String body() {
            StringBuilder out = new StringBuilder()
                    .append("source=").append(quote(source)).append('\n')
                    .append("tmp_parent=").append(quote(tmpDirectory)).append('\n')
                    .append("part_size=").append(partSize).append('\n')
                    .append("parts=").append(partUrls.size()).append('\n')
                    .append("parallel=").append(parallelRuns).append('\n')
                    .append("complete_url=").append(quote(completeUrl.toString())).append('\n')
                    .append("declare -a part_url\n");
            for (int i = 0; i < partUrls.size(); i++) {
                out.append("part_url[").append(i + 1).append("]=").append(quote(partUrls.get(i).toString())).append('\n');
            }
            return out.append(EGRESS_BODY).toString();
        }

        private static final String EGRESS_BODY = """
                if [ ! -f "$source" ] || [ ! -r "$source" ]; then
                  echo "$(date -u) $source is not a readable file." >&2
                  exit 34
                fi
                size=$(stat --dereference -c %s -- "$source")
                if [ "$size" -gt $(( parts * part_size )) ]; then
                  echo "$(date -u) $source grew to $size bytes, more than the $parts parts of $part_size bytes planned for it." >&2
                  exit 27
                fi
                mkdir -p -- "$tmp_parent" && work=$(mktemp -d -- "$tmp_parent/.goldcrest-parts.XXXXXXXX") || {
                  echo "$(date -u) Cannot create a temporary directory under $tmp_parent." >&2
                  exit 34
                }
                trap 'rm -rf -- "$work"' EXIT
                # one part, streamed by dd straight into curl with its length given (S3 refuses chunked
                # uploads), so no part is copied to disk; the URL goes in a config file in the private
                # (mktemp -d: mode 700) work directory, since curl's stdin carries the data. Keeps the ETag.
                send_part() {
                  local i=$1 offset=$(( ($1 - 1) * part_size )) length
                  length=$(( size - offset < part_size ? size - offset : part_size ))
                  [ "$length" -lt 0 ] && length=0
                  printf 'url = "%s"\\n' "${part_url[$i]}" > "$work/curl.$i"
                  dd if="$source" bs=4M iflag=skip_bytes,count_bytes skip="$offset" count="$length" status=none \\
                    | curl --silent --show-error --fail --upload-file - --header "Content-Length: $length" \\
                        --header 'Transfer-Encoding:' --dump-header "$work/headers.$i" --output /dev/null \\
                        --config "$work/curl.$i" || return 1
                  tr -d '\\r' < "$work/headers.$i" | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p' > "$work/etag.$i"
                  [ -s "$work/etag.$i" ]
                }
                send_parts() {
                  local i running=0
                  for i in "$@"; do
                    send_part "$i" &
                    running=$(( running + 1 ))
                    if [ "$running" -ge "$parallel" ]; then wait -n || true; running=$(( running - 1 )); fi
                  done
                  wait
                }
                log "Uploading $source ($size bytes) in $parts part(s), $parallel at a time"
                send_parts $(seq 1 "$parts")
                missing=$(for i in $(seq 1 "$parts"); do [ -s "$work/etag.$i" ] || echo "$i"; done)
                if [ -n "$missing" ]; then
                  log "Retrying part(s) $(echo $missing)"
                  send_parts $missing
                fi
                {
                  echo '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
                  for i in $(seq 1 "$parts"); do
                    if [ ! -s "$work/etag.$i" ]; then
                      echo "$(date -u) Part $i could not be uploaded." >&2
                      exit 70
                    fi
                    echo "<Part><PartNumber>$i</PartNumber><ETag>$(cat "$work/etag.$i")</ETag></Part>"
                  done
                  echo '</CompleteMultipartUpload>'
                } > "$work/complete.xml"
                # S3 can answer 200 and still report an error in the body, so the body is read too
                if ! printf 'url = "%s"\\n' "$complete_url" | curl --silent --show-error --fail --request POST \\
                    --header 'Content-Type: application/xml' --data-binary "@$work/complete.xml" \\
                    --output "$work/complete.out" --config - || grep -q '<Error>' "$work/complete.out"; then
                  echo "$(date -u) The multipart upload could not be completed: $(cat "$work/complete.out" 2>/dev/null)" >&2
                  exit 70
                fi
                log '[INFO] Multipart file upload successfully completed'
                """;
    }
}

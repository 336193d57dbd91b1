package io.goldcrest.api.v1;

import io.goldcrest.compute.ComputeService;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.filesystem.FilesystemService;
import io.goldcrest.ssh.SshPool;
import io.goldcrest.status.StatusService;
import io.goldcrest.storage.TransferService;
import java.time.Clock;

/** The services the v1 routes are a view of: the same ones v2 uses. */
record V1Services(GoldcrestConfig config, StatusService status, FilesystemService files, ComputeService compute,
                  TransferService transfers, V1Tasks tasks, SshPool pool, Clock clock) {}

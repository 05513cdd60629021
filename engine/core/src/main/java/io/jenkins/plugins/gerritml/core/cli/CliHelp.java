package io.jenkins.plugins.gerritml.core.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The help texts: {@code gerrit-ml help} lists the commands, {@code gerrit-ml help <command>} and
 * {@code gerrit-ml <command> --help} every option of one command, the environment it reads and its exit codes.
 * Secrets are named, never shown.
 */
final class CliHelp {
    private static final String GERRIT_ENV = String.join("\n",
            "  GERRIT_URL, GERRIT_USER, GERRIT_HTTP_PASSWORD   Gerrit REST API (the password is never printed)",
            "  GERRIT_PROJECT, GERRIT_BRANCH, GERRIT_CHANGE_NUMBER, GERRIT_CHANGE_ID, GERRIT_PATCHSET_NUMBER,",
            "  GERRIT_PATCHSET_REVISION, GERRIT_EVENT_TYPE, ... the build context as Gerrit Trigger sets it",
            "  GERRIT_ML_AUDIT_LOG   audit log file (default ./gerrit-ml-audit.jsonl); BUILD_TAG / BUILD_URL name the run",
            "  GERRIT_ML_VOTE_ALLOW_LIST  votes the CI account may cast, e.g. 'Model-Verified -1..+1; Code-Review 0..+1'",
            "                        (default: Verified -1..+1 only); any other vote is refused before any call");
    private static final String GATE = String.join("\n",
            "gate options (approval of the patch set + .gerrit-ml.yaml of the target branch):",
            "  --label L            label that approves (default Code-Review)",
            "  --min N              minimum vote (default 2)",
            "  --group G            approver must be in group G (repeatable)",
            "  --allow-self         the uploader's own vote counts",
            "  --branch GLOB        only for target branches matching GLOB",
            "  --submit-requirement NAME   Gerrit submit requirement that must be satisfied (repeatable; 'all')",
            "  --dataset URI        a dataset the run reads, checked against the policy (repeatable)",
            "  --audit-log FILE     append-only audit log (default $GERRIT_ML_AUDIT_LOG or ./gerrit-ml-audit.jsonl)");
    private static final String LINEAGE = String.join("\n",
            "lineage options (sign a record of who approved what, after a successful run):",
            "  --private-key-file PEM --public-key-file PEM   Ed25519 key from 'gerrit-ml keygen'",
            "  --hmac-key-id ID     HMAC-SHA256 instead, secret from " + GerritMl.HMAC_SECRET_VARIABLE,
            "  --lineage-out FILE   also write lineage.json here");
    private static final String EXIT_CODES = "exit codes: 0 ok, 1 refused or failed (gate, policy, run, "
            + "verification), 2 usage or configuration error, 3 stopped because the review moved on (--follow-review)";
    private static final String FOLLOW = String.join("\n",
            "review following (stop the job when the review moves past its patch set):",
            "  --follow-review          follow Gerrit's stream-events over SSH: a new patch set or an abandon stops",
            "                           the job, leaves a neutral message on its patch set and votes nothing",
            "  --keep-on-trivial-rebase a trivial rebase or a commit-message-only patch set does not stop it",
            "  --ssh-address HOST:PORT  default $GERRIT_HOST:$GERRIT_PORT (as Gerrit Trigger sets them), else",
            "                           GERRIT_URL's host and 29418",
            "  --ssh-user USER          default $GERRIT_SSH_USER, else $GERRIT_USER (needs Stream Events)",
            "  --ssh-key FILE           the account's SSH private key (default $GERRIT_SSH_KEY_FILE); its",
            "                           passphrase from " + FollowedReview.PASSPHRASE_VARIABLE + ", never printed",
            "  --ssh-known-hosts FILE   holds Gerrit's host key (default $GERRIT_SSH_KNOWN_HOSTS, else",
            "                           ~/.ssh/known_hosts); the host key is always checked",
            "  --stop-groups G1,G2      besides the change owner, members of these Gerrit groups may stop the job",
            "                           from the review (a comment 'gerrit-ml stop <job id>', the Checks tab's Stop)");

    private static final Map<String, String> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("context", String.join("\n",
                "usage: gerrit-ml context",
                "Prints the GERRIT_* build context (project, change, patch set, revision, uploader, event).",
                "environment:",
                "  GERRIT_* as Gerrit Trigger sets them",
                "exit codes: 0 ok, 2 a GERRIT_* variable is missing or malformed"));
        COMMANDS.put("check-approval", String.join("\n",
                "usage: gerrit-ml check-approval [gate options] [--explain-on-change]"
                        + " [--approve-model-package-group G --role-arn-to-assume ARN]",
                "Runs the approval gate and the repository policy against the live change.",
                GATE,
                "  --explain-on-change  post the refusal on the change",
                "  --approve-model-package-group G  when it passes, approve the version of SageMaker model package",
                "                       group G trained from this patch set, in a session of --role-arn-to-assume",
                "                       whose SourceIdentity is the approver (on an abandoned change: reject the",
                "                       change's versions); --external-id, --region, --endpoint-url,",
                "                       --build-number as for sagemaker-train",
                "environment:", GERRIT_ENV, EXIT_CODES));
        COMMANDS.put("vote", String.join("\n",
                "usage: gerrit-ml vote --label NAME=VALUE... [--message TEXT] [--context NAME] [--audit-log FILE]"
                        + " [--outbox DIR [--outbox-patience 1h]]",
                "Posts a vote (and message) on the patch set.",
                "  --label NAME=VALUE   e.g. Verified=1 (repeatable)",
                "  --message TEXT       review message",
                "  --context NAME       tag suffix (autogenerated:gerrit-ml:NAME, default cli)",
                "  --audit-log FILE     append-only audit log",
                "  --outbox DIR         keep the vote in DIR until it landed exactly once (retried while Gerrit is",
                "                       down, never posted twice); also delivers what earlier runs left there",
                "  --outbox-patience D  how long to keep trying, e.g. 30m (default 1h)",
                "environment:", GERRIT_ENV, EXIT_CODES));
        COMMANDS.put("sagemaker-train", String.join("\n",
                "usage: gerrit-ml sagemaker-train --image URI --role-arn ARN --input NAME=S3URI[:TYPE]... --output S3URI",
                "                                 --region R [options]",
                "Gate first (training inputs are the datasets), then a SageMaker training job for the patch set,",
                "followed to its end; the result is voted on the change, lineage optionally signed and published",
                "on the change and next to the model in S3. No AWS call happens before the gate passes.",
                "training options:",
                "  --image URI              training image (ECR URI)",
                "  --role-arn ARN           role SageMaker runs the job as",
                "  --input NAME=S3URI[:TYPE] input channel, e.g. train=s3://ml-data/approved/train/:text/csv",
                "                           (repeatable)",
                "  --output S3URI           where SageMaker writes model.tar.gz",
                "  --instance-type T        default ml.m5.xlarge;  --instance-count N  default 1",
                "  --volume-size GB         EBS volume size",
                "  --hyperparameter K=V     (repeatable; passed to the container as strings)",
                "  --max-runtime D          job's own limit, e.g. 90m, 2h, 3600 (default 1h)",
                "  --timeout D              how long to follow before stopping it (default max-runtime + 15m)",
                "  --build-number N         part of the job name (default $BUILD_NUMBER or 1)",
                "  --build-url URL          recorded in tags and lineage (default $BUILD_URL)",
                "AWS options:",
                "  --region R               default $AWS_REGION or $AWS_DEFAULT_REGION",
                "  --endpoint-url URL       e.g. a VPC endpoint (default $AWS_ENDPOINT_URL)",
                "  --role-arn-to-assume ARN assume this role first (STS AssumeRole, SourceIdentity = approver)",
                "  --external-id ID         the role's external id (never printed)",
                "model registry:",
                "  --model-package-group G  register the model as a new version of G (created if missing), pending",
                "                           approval, and reject the versions of the change's older patch sets",
                "                           (default: modelPackageGroup of .gerrit-ml.yaml on the target branch)",
                "  --inference-image IMAGE  the image that serves the model (default the training image)",
                "review options:",
                "  --vote-label L           label for the result (default Verified)",
                "  --no-review              post nothing on the change (no refusal, vote or lineage summary)",
                "  --json FILE              write the result as JSON",
                GATE, LINEAGE, FOLLOW,
                "environment:", GERRIT_ENV,
                "  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN   keys (else the SDK's default chain:",
                "  profile, container or instance role); the secret and token are never printed",
                "  AWS_REGION, AWS_DEFAULT_REGION, AWS_ENDPOINT_URL, BUILD_NUMBER, BUILD_URL, BUILD_ID",
                "  " + GerritMl.HMAC_SECRET_VARIABLE + " (with --hmac-key-id)",
                "exit codes: 0 job completed, 1 refused by the gate or the job failed/stopped/timed out,",
                "  2 usage or configuration error (bad spec, missing variable, login refused), 3 stopped because",
                "  the patch set was superseded or the change abandoned (--follow-review; nothing voted)"));
        COMMANDS.put("prefect-run", String.join("\n",
                "usage: gerrit-ml prefect-run FLOW/DEPLOYMENT [--parameter K=JSON]... [--api-url URL] [options]",
                "Gate first, then a run of the Prefect deployment for the patch set (tags gerrit-change:N, ...),",
                "followed to its end with its logs; the result is voted with the run's link. Ctrl-C cancels the run.",
                "run options:",
                "  --deployment FLOW/DEPLOYMENT  or the deployment id (or as first argument)",
                "  --parameter K=JSON       flow parameter, JSON-typed: 3, 0.5, true, [64,32], \"text\"; anything",
                "                           that is not JSON is a string (repeatable)",
                "  --api-url URL            default $PREFECT_API_URL, e.g. http://127.0.0.1:4200/api",
                "  --timeout D              cancel the run after D (default 1h)",
                "  --name NAME              run name (default change-N-ps-P)",
                "  --run-key KEY            idempotency: the same key re-attaches (default $BUILD_TAG, else random)",
                "  --state-dir DIR          keep the run's key here before the run is created, so running the same",
                "                           command again after it was killed re-attaches instead of starting another",
                "  --poll-interval D        longest wait between status polls (default 5s)",
                "  --output URI             an artifact the flow writes, recorded in the lineage (repeatable)",
                "  --build-url URL          recorded in the lineage (default $BUILD_URL)",
                "review options:",
                "  --vote-label L           label for the result (default Verified)",
                "  --no-review              post nothing on the change",
                "  --json FILE              write the result as JSON",
                GATE, LINEAGE,
                "  (lineage goes to the flow run as a markdown artifact and to the change)",
                FOLLOW,
                "environment:", GERRIT_ENV,
                "  PREFECT_API_URL; PREFECT_API_KEY (Prefect Cloud, Bearer) or PREFECT_API_AUTH_STRING (self-hosted,",
                "  user:password) - never printed",
                "  " + GerritMl.HMAC_SECRET_VARIABLE + " (with --hmac-key-id)",
                "exit codes: 0 COMPLETED, 1 refused by the gate or FAILED/CRASHED/CANCELLED/TIMED_OUT,",
                "  2 usage or configuration error (unknown deployment, bad parameter, login refused), 3 cancelled",
                "  because the patch set was superseded or the change abandoned (--follow-review; nothing voted)"));
        COMMANDS.put("tensorflow-metrics", String.join("\n",
                "usage: gerrit-ml tensorflow-metrics --logdir DIR (--gate EXPR... | --gates-file FILE) [options]",
                "Reads TensorBoard event files, checks the gates and posts the metrics table as a vote.",
                "  --logdir DIR             TensorBoard log directory (or one event file)",
                "  --gate EXPR              e.g. \"validation/epoch_accuracy.last >= 0.9\" (repeatable)",
                "  --gates-file FILE        one gate per line",
                "  --baseline FILE          last merged build's metrics file (missing = no baseline yet)",
                "  --metrics-out FILE       write this run's metrics (the next baseline)",
                "  --label L                label to vote (default Verified)",
                "  --link NAME=URL          a link in the message (repeatable)",
                "  --title TEXT             message title",
                "  --no-review              only print the table; no Gerrit needed",
                "  --json FILE              write the result as JSON",
                "  --audit-log FILE         append-only audit log",
                "environment:", GERRIT_ENV,
                "exit codes: 0 all gates passed, 1 a gate failed, 2 usage error (unknown metric, unreadable logs)"));
        COMMANDS.put("sign-lineage", String.join("\n",
                "usage: gerrit-ml sign-lineage --out FILE (--private-key-file PEM --public-key-file PEM | "
                        + "--hmac-key-id ID)",
                "         [gate options] [--build-url U] [--build-id I] [--backend B] [--job-id J] [--image I]",
                "         [--param K=V]... [--output URI[,sha256=H][,etag=E]]... [--metric K=V]...",
                "         [--time NAME=ISO]... [--promotes FILE] [--publish-gerrit]",
                "Re-runs the gate and signs a lineage record of an approved run.",
                GATE,
                "environment:", GERRIT_ENV,
                "  " + GerritMl.HMAC_SECRET_VARIABLE + " (with --hmac-key-id), BUILD_URL, BUILD_ID",
                EXIT_CODES));
        COMMANDS.put("verify-lineage", String.join("\n",
                "usage: gerrit-ml verify-lineage FILE... (--public-key-file PEM... | --hmac-key-id ID) [--live]",
                "Verifies signatures, digests and the promotion chain (oldest first); --live re-checks the",
                "approvals on Gerrit.",
                "environment: " + GerritMl.HMAC_SECRET_VARIABLE + " (with --hmac-key-id); GERRIT_URL, GERRIT_USER,",
                "  GERRIT_HTTP_PASSWORD (with --live)",
                EXIT_CODES));
        COMMANDS.put("keygen", String.join("\n",
                "usage: gerrit-ml keygen --private-key-file PEM --public-key-file PEM",
                "Creates an Ed25519 lineage signing key (the private file is readable by its owner only).",
                "exit codes: 0 ok, 2 cannot write the files"));
    }

    private CliHelp() {
    }

    static boolean isCommand(final String command) {
        return COMMANDS.containsKey(command);
    }

    static String forCommand(final String command) {
        String text = COMMANDS.get(command);
        return text != null ? text : "gerrit-ml: unknown command '" + command + "'\n" + usage();
    }

    static String usage() {
        return String.join("\n",
                "usage: gerrit-ml <command> [options]      (gerrit-ml help <command>, gerrit-ml <command> --help)",
                "commands:",
                "  context              print the GERRIT_* build context",
                "  check-approval       approval gate + .gerrit-ml.yaml policy of the target branch",
                "  vote                 post a vote on the patch set",
                "  sagemaker-train      gate, SageMaker training job, vote, signed lineage to Gerrit and S3",
                "  prefect-run          gate, Prefect flow run (logs followed, Ctrl-C cancels), vote with its link,",
                "                       signed lineage to the flow run and Gerrit",
                "  tensorflow-metrics   TensorBoard metrics gates, table posted as a vote",
                "  keygen               create an Ed25519 lineage signing key",
                "  sign-lineage         sign a lineage record of an approved run",
                "  verify-lineage       verify lineage files (and, with --live, their approvals on Gerrit)",
                "environment:",
                GERRIT_ENV,
                "  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_DEFAULT_REGION,",
                "  AWS_ENDPOINT_URL (sagemaker-train); PREFECT_API_URL, PREFECT_API_KEY, PREFECT_API_AUTH_STRING",
                "  (prefect-run); " + GerritMl.HMAC_SECRET_VARIABLE + " (HMAC lineage keys); GERRIT_HOST, GERRIT_PORT,",
                "  GERRIT_SSH_USER, GERRIT_SSH_KEY_FILE, " + FollowedReview.PASSPHRASE_VARIABLE + ", GERRIT_SSH_KNOWN_HOSTS",
                "  (--follow-review); BUILD_URL, BUILD_ID, BUILD_NUMBER, BUILD_TAG. Secrets are never printed, logged",
                "  or posted.",
                EXIT_CODES);
    }
}

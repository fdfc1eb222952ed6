// blnk train: options -> TrainConfig -> Trainer; progress, log, plot, signals.
#include <cxxopts.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <optional>
#include <utility>

#include "cli/cli.h"
#include "cli/data_files.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "cli/train_distributed.h"
#include "base/error.h"
#include "base/text_encode.h"
#include "base/file_io.h"
#include "engine/model_file.h"
#include "data/preprocess.h"
#include "reader/class_model.h"
#include "layers/registry.h"
#include "train/checkpoint.h"
#include "train/history_csv.h"
#include "train/plot.h"
#include "train/trainer.h"

namespace blnk::cli {
namespace {

std::atomic<bool> g_stop{false};

void on_training_stop_signal(int) {
  if (g_stop.exchange(true)) std::_Exit(130);  // a second signal: stop now
}

std::string checkpoint_path_for(const std::string& out, const std::string& dir) {
  const std::filesystem::path o(out);
  const std::filesystem::path d = dir.empty() ? (o.has_parent_path() ? o.parent_path() : ".") : std::filesystem::path(dir);
  return (d / (o.filename().string() + ".ckpt")).string();
}

// The model's trained.date: today (UTC), or the day of SOURCE_DATE_EPOCH when it is set
// (the reproducible-builds convention: one command run on either side of midnight then
// writes the same file; the test suite sets it).
std::string today() {
  char buf[32];
  std::time_t t = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    char* end = nullptr;
    errno = 0;
    const long long seconds = std::strtoll(epoch, &end, 10);
    if (*end == '\0' && errno == 0 && seconds >= 0)
      t = static_cast<std::time_t>(seconds);
    else
      std::fprintf(stderr, "blnk train: SOURCE_DATE_EPOCH '%s' is not a count of seconds: today's date is written\n", epoch);
  }
  std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&t));
  return buf;
}

// Appends text to a file; "" when it worked, else the reason.
std::string append_text(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "a");
  if (!f) return std::strerror(errno);
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const int write_errno = errno;
  if (std::fclose(f) != 0 || !written) return std::strerror(written ? errno : write_errno);
  return "";
}

// The network of --arch for the data's shape; a spec that does not build is a usage error naming it.
Network network_of(const std::string& spec, Shape input, bool from_checkpoint) {
  try {
    return Network(spec, input);
  } catch (const Error& e) {
    if (from_checkpoint) throw;
    bad_value("arch", shown_value(spec), e.what(), "a model spec (blnk summary --help lists the layer tokens)");
  }
}



}  // namespace

int cmd_train(int argc, char** argv) {
  cxxopts::Options options(argv[0], "Train a model on MNIST-style IDX files, or a folder of labelled images, and write "
                                    "a model file.");
  add_data_options(options, true);
  add_distributed_options(options);
  options.add_options()
      ("epochs", "epochs to train, 1 to 1048576 (with --resume: the total to reach)", text("3"))
      ("batch-size", "minibatch size, 1 to 65536", text("64"))
      ("lr", "learning rate, above 0 and at most 10", text("0.001"))
      ("lr-schedule", "constant, or cosine: from --lr down to 0 over the run", text("constant"))
      ("ema", "keep a moving average of the weights with this momentum (from 0 to below 1, e.g. 0.999) and end "
              "with it; 0: off", text("0"))
      ("optimizer", "adam or sgd", text("adam"))
      ("momentum", "SGD momentum, from 0 to below 1", text("0.9"))
      ("seed", "seed for initialisation, shuffling, dropout and augmentation", text("1"))
      ("precision", "of the training's matrix products: fp32, or bf16 (bfloat16 multiplies summed in float32, "
                    "AVX512_BF16 where the CPU has it; weights, optimizer, loss and evaluation stay float32)",
       text("fp32"))
      ("threads", "worker threads, 1 to 256 (default: all cores); under mpirun: per rank (default: the cores "
                  "shared by the ranks on a machine)", text())
      ("arch", "model spec (blnk summary --help lists the layer tokens)", text(kDefaultSpec))
      ("init", "start from this trained model's weights (fine-tuning); its spec is the model's, --arch must match it",
       text())
      ("val-split", "fraction of the training set held out for validation, from 0 to below 1", text("0"))
      ("augment", "--augment[=KIND]: digits (alone: random shifts, rotations, scaling and pen of digits), crop "
                  "(the picture moved up to 1/8 of its side, black coming in) or crop-flip (crop, and mirrored left "
                  "to right half of the time: for classes whose mirror image is of the same class)",
       text()->implicit_value("digits"))
      ("limit", "use only the first N training images (an IDX file is read no further; a folder's are taken "
                "class by class in turn)", text())
      ("out", "model file to write", text("model.blnk"))
      ("checkpoint-dir", "an existing folder where OUT.ckpt is written after every epoch (default: OUT's folder)",
       text())
      ("resume", "continue from the checkpoint of OUT")
      ("log", "append one CSV row per epoch to this file (blnk plot draws it)", text())
      ("plot", "write loss and accuracy curves to this SVG file", text())
      ("quiet", "no progress output")
      ("h,help", "this help");
  const auto parsed = parse_command(options, argc, argv);
  if (!parsed) return 0;
  const cxxopts::ParseResult& args = *parsed;
  if (args.count("init") && args.count("resume"))
    throw UsageError("--init starts a new run; --resume continues one: give one of them");

  // The settings as the options give them (their defaults where not given), every
  // value checked before anything is read or written.
  train::TrainConfig cfg;
  cfg.epochs = int(integer_option(args, "epochs", 1, 1 << 20));
  cfg.batch_size = int(integer_option(args, "batch-size", 1, 1 << 16));
  cfg.optimizer.name = choice_option(args, "optimizer", {"adam", "sgd"});
  cfg.optimizer.learning_rate = float(number_option(args, "lr", {0, 10, true, false, "a number above 0, at most 10"}));
  cfg.lr_schedule = train::parse_lr_schedule(choice_option(args, "lr-schedule", {"constant", "cosine"}));
  cfg.ema_momentum =
      float(number_option(args, "ema", {0, 1, false, true, "0 (off) or a momentum below 1, e.g. 0.999"}));
  cfg.optimizer.momentum = float(number_option(args, "momentum", {0, 1, false, true, "a number from 0 to below 1"}));
  cfg.seed = unsigned_option(args, "seed");
  cfg.precision = parse_precision(choice_option(args, "precision", {"fp32", "bf16"}), "--precision");
  cfg.val_split = number_option(args, "val-split", {0, 1, false, true, "a fraction from 0 to below 1, e.g. 0.1"});
  if (args.count("augment"))
    cfg.augment = data::parse_augment(choice_option(args, "augment", {"digits", "crop", "crop-flip"}));
  cfg.threads = args.count("threads") ? int(integer_option(args, "threads", 1, 256)) : default_threads();
  const int limit = args.count("limit") ? int(integer_option(args, "limit", 1, INT32_MAX)) : 0;
  std::string spec = args["arch"].as<std::string>();
  if (spec.empty()) bad_value("arch", "''", "empty", "a model spec (blnk summary --help lists the layer tokens)");
  const std::string init_path = args.count("init") ? input_file_option(args, "init") : "";

  // Every file this run writes, checked now rather than after an epoch's work.
  const std::string out = args["out"].as<std::string>();
  check_output_file("out", out);
  if (args.count("checkpoint-dir")) check_output_folder("checkpoint-dir", args["checkpoint-dir"].as<std::string>(), false);
  const std::string checkpoint =
      checkpoint_path_for(out, args.count("checkpoint-dir") ? args["checkpoint-dir"].as<std::string>() : "");
  const std::string log_path = args.count("log") ? args["log"].as<std::string>() : "";
  if (args.count("log")) check_appendable_file("log", log_path);
  const std::string plot_path = args.count("plot") ? args["plot"].as<std::string>() : "";
  if (args.count("plot")) check_output_file("plot", plot_path);
  const DataFiles files = resolve_data_files(args, true);
  if (cfg.augment == data::Augment::digits && !files.train_folder.empty() &&
      (files.class_input.class_input_asked() || !data::is_digit_folder(files.train_folder)))
    throw UsageError("--augment digits moves and reshapes the ink of digits; " + files.train_folder +
                     " is a folder of classes: use --augment=crop or --augment=crop-flip, or leave --augment out");
  // Under mpirun, one of several ranks: rank 0 alone writes and prints (docs/distributed.md).
  const std::unique_ptr<dist::Session> ranks = start_ranks(args);
  const bool root = ranks->is_root();
  cfg.threads = run_threads(*ranks, args.count("threads") ? cfg.threads : 0);

  std::optional<train::Checkpoint> resume;
  if (args.count("resume")) {
    resume = train::read_checkpoint(checkpoint);
    train::ResumeRequest request{spec, args.count("arch") > 0, cfg, {}};
    for (const char* option : train::kResumeSettings)
      if (args.count(option)) request.given.push_back(option);
    const train::ResumePlan plan = train::plan_resume(*resume, request);
    if (!plan.conflicts.empty()) {
      std::string message = "--resume: " + checkpoint + " cannot continue with other settings:";
      for (const std::string& c : plan.conflicts) message += "\n  " + c;
      throw UsageError(message + "\nleave these options out, or start a new run without --resume");
    }
    if (root)
      for (const std::string& note : plan.notes) std::fprintf(stderr, "%s\n", note.c_str());
    cfg = plan.config;
    spec = resume->file.spec;
  }
  cfg.checkpoint_path = checkpoint;
  std::optional<Network> init_from;
  if (!init_path.empty()) {
    if (!args.count("arch")) spec.clear();  // the init model's own
    init_from.emplace(train::read_init_model(init_path, spec, "--arch"));  // before any data is read
  }

  LoadedSet train_loaded = load_train_set(files, limit);
  data::Dataset& train_set = train_loaded.set;
  const Shape input{train_set.images.rows, train_set.images.cols, train_set.images.channels};
  if (limit > train_set.size())
    bad_value("limit", std::to_string(limit), "out of range",
              "an integer from 1 to " + std::to_string(train_set.size()) + " (the training images)");
  if (limit) train_set.images.count = train_set.labels.count = limit;
  // IDX images of another shape than the digits' 28x28x1 (colour, another size) are
  // no digits for the reader's preprocessing: a class model, its classes named by
  // their labels ("0", "1", ...), which predict, eval, serve and Python then read.
  if (train_loaded.classes.empty() && files.train_folder.empty() &&
      (input.h != data::kDigitSide || input.w != data::kDigitSide || input.c != 1))
    train_loaded.classes = data::label_class_names(train_set);
  const std::optional<data::Dataset> test_set = load_test_set(
      files, train_loaded.classes.empty() ? data::kMnistClasses : int(train_loaded.classes.size()),
      folder_options_for(train_loaded.classes, input, train_loaded.fit));
  if (!test_set && root)
    std::fprintf(stderr, "no test set (give --data DIR with the t10k files, --test-images and --test-labels, or "
                         "--images-test DIR): test evaluation is skipped\n");
  if (train_set.images.rows * train_set.images.cols > 1 << 24) throw Error("training images are too large");

  const int classes = int(train_loaded.classes.size());
  // The default model ends in one output per class of the folder.
  if (classes && !args.count("arch") && !args.count("resume") && init_path.empty())
    spec = train::default_spec_for_classes(classes);
  Network net = network_of(spec, input, args.count("resume") > 0);
  if (classes && net.num_classes() != classes && !init_path.empty() && !args.count("arch"))
    throw UsageError("--init " + init_path + " has " + std::to_string(net.num_classes()) + " outputs, but " +
                     files.train_source() + " has " + std::to_string(classes) +
                     " classes: --init continues a model on its own classes (training onto other classes, a new "
                     "last layer, is not supported: train from scratch, or give the folder of its classes)");
  if (classes && net.num_classes() != classes)
    bad_value("arch", shown_value(spec), "it ends in " + std::to_string(net.num_classes()) + " outputs, but " +
                                             files.train_folder + " has " + std::to_string(classes) + " classes",
              "a model spec ending in dense" + std::to_string(classes));
  net.init(cfg.seed);
  if (init_from) train::start_from(net, *init_from, init_path);
  if (!train_loaded.classes.empty()) {  // its names and fit, what predict, eval and serve read: in every file written
    ModelFile named;
    reader::set_class_model(named, train_loaded.classes, train_loaded.fit);
    cfg.model_metadata = named.metadata;
  }
  train::LabelledImages train_view = train::view_of(train_set);
  train::LabelledImages test_view = test_set ? train::view_of(*test_set) : train::LabelledImages{};
  train::Trainer trainer(net, cfg, train_view, test_set ? &test_view : nullptr, ranks->exchange());
  if (resume) {
    trainer.resume_from(*resume);
    if (root) std::fprintf(stderr, "resuming from %s after %d of %d epochs\n", checkpoint.c_str(), trainer.completed_epochs(),
                 cfg.epochs);
    resume.reset();  // its tensors are in the trainer now
  }

  const bool quiet = args.count("quiet") > 0 || !root;
  Progress progress(stderr, quiet);
  // A header starts the file and each new run appended to it (blnk plot tells runs apart by it);
  // a resumed run continues its rows.
  if (root && !log_path.empty() && (!args.count("resume") || !std::filesystem::exists(log_path))) {
    if (const std::string why = append_text(log_path, train::history_csv_header()); !why.empty())
      throw Error("--log " + log_path + ": cannot write (" + why + ")");
  }
  // A log that stops taking rows must not cost the trained model: say so, train on,
  // write the model, and exit 1 at the end.
  std::string log_failure;
  train::TrainCallbacks callbacks;
  callbacks.on_batch = [&](const train::BatchProgress& p) { progress.batch(p); };
  callbacks.on_epoch = [&](const train::EpochStats& e) {
    progress.epoch(e);
    if (!root || log_path.empty() || !log_failure.empty()) return;
    if (const std::string why = append_text(log_path, train::history_csv_row(e, train::CsvPrecision::readable));
        !why.empty()) {
      log_failure = "--log " + log_path + ": cannot append epoch " + std::to_string(e.epoch) + " (" + why + ")";
      std::fprintf(stderr, "blnk train: warning: %s; training goes on and the model will be written\n",
                   log_failure.c_str());
    }
  };
  callbacks.stop_requested = &g_stop;
  std::signal(SIGINT, on_training_stop_signal);
  std::signal(SIGTERM, on_training_stop_signal);
  if (!quiet)
    std::fprintf(stderr, "training %s on %s (%s), %s, batch %d, %s%s\n", net.spec().c_str(),
                 count_of(train_set.size(), "image").c_str(), files.train_source().c_str(),
                 count_of(cfg.epochs, "epoch").c_str(), cfg.batch_size, count_of(cfg.threads, "thread").c_str(),
                 cfg.precision == Precision::bf16 ? (bf16_uses_hardware() ? ", bf16 (AVX512_BF16)" : ", bf16 (emulated)")
                                                  : "");

  const train::TrainOutcome outcome = trainer.run(callbacks);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (!quiet) print_ranks_summary(*ranks, cfg.threads);
  if (!root) return outcome == train::TrainOutcome::interrupted ? 130 : 0;
  if (outcome == train::TrainOutcome::interrupted) {
    std::fprintf(stderr, "\ninterrupted: checkpoint saved to %s; continue with the same command and --resume\n",
                 checkpoint.c_str());
    return 130;
  }

  train::Provenance provenance;
  provenance.version = BLNK_VERSION;
  provenance.by = "blnk train";
  provenance.date = today();
  provenance.images = files.train_source();
  provenance.test_images = files.test_source();
  if (init_from) provenance.init = init_path;
  const ModelFile model = train::trained_model_file(net, cfg, provenance, trainer.history());
  write_model_file(out, model);
  if (!quiet) std::fprintf(stderr, "wrote %s\n", out.c_str());
  if (!plot_path.empty()) {
    const std::string svg = train::plot_history_svg(trainer.history(), "blnk training: " + net.spec());
    write_file_atomically(plot_path, std::vector<std::uint8_t>(svg.begin(), svg.end()));
  }
  if (!log_failure.empty()) {
    std::fprintf(stderr, "blnk train: error: %s; the model was written to %s\n", log_failure.c_str(), out.c_str());
    return 1;
  }
  return 0;
}

}  // namespace blnk::cli

// blnk train: options -> TrainConfig -> Trainer; progress, log, plot, signals.
#include <cxxopts.hpp>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <utility>

#include "cli/cli.h"
#include "cli/data_files.h"
#include "cli/progress.h"
#include "base/error.h"
#include "base/file_io.h"
#include "engine/model_file.h"
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

std::string today() {
  char buf[32];
  const std::time_t t = std::time(nullptr);
  std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&t));
  return buf;
}

train::LabelledImages view(const data::Dataset& d) { return {d.images.pixels.data(), d.labels.labels.data(), d.size()}; }

}  // namespace

int cmd_train(int argc, char** argv) {
  cxxopts::Options options(argv[0], "Train a model on MNIST-style IDX files, or a folder of labelled images, and write "
                                    "a model file.");
  add_data_options(options, true);
  options.add_options()
      ("epochs", "epochs to train (with --resume: the total to reach)", cxxopts::value<int>()->default_value("3"))
      ("batch-size", "minibatch size", cxxopts::value<int>()->default_value("64"))
      ("lr", "learning rate", cxxopts::value<float>()->default_value("0.001"))
      ("lr-schedule", "constant, or cosine: from --lr down to 0 over the run", cxxopts::value<std::string>()->default_value("constant"))
      ("ema", "keep a moving average of the weights with this momentum (e.g. 0.999) and end with it; 0: off",
       cxxopts::value<float>()->default_value("0"))
      ("optimizer", "adam or sgd", cxxopts::value<std::string>()->default_value("adam"))
      ("momentum", "SGD momentum", cxxopts::value<float>()->default_value("0.9"))
      ("seed", "seed for initialisation, shuffling, dropout and augmentation", cxxopts::value<std::uint64_t>()->default_value("1"))
      ("threads", "worker threads (default: all cores)", cxxopts::value<int>())
      ("arch", "model spec", cxxopts::value<std::string>()->default_value(kDefaultSpec))
      ("init", "start from this trained model's weights (fine-tuning); its spec is the model's, --arch must match it",
       cxxopts::value<std::string>())
      ("val-split", "fraction of the training set held out for validation", cxxopts::value<double>()->default_value("0"))
      ("augment", "random shifts, rotations and scaling of the training digits")
      ("limit", "use only the first N training images", cxxopts::value<int>())
      ("out", "model file to write", cxxopts::value<std::string>()->default_value("model.blnk"))
      ("checkpoint-dir", "where OUT.ckpt is written after every epoch (default: OUT's directory)", cxxopts::value<std::string>()->default_value(""))
      ("resume", "continue from the checkpoint of OUT")
      ("log", "append one CSV row per epoch to this file", cxxopts::value<std::string>())
      ("plot", "write loss and accuracy curves to this SVG file", cxxopts::value<std::string>())
      ("quiet", "no progress output")
      ("h,help", "this help");
  const auto args = options.parse(argc, argv);
  if (args.count("help")) {
    std::printf("%s\n", options.help().c_str());
    return 0;
  }
  if (!args.unmatched().empty()) throw UsageError("unexpected argument '" + args.unmatched()[0] + "'");
  if (args.count("init") && args.count("resume"))
    throw UsageError("--init starts a new run; --resume continues one: give one of them");
  const DataFiles files = resolve_data_files(args, true);
  const std::string out = args["out"].as<std::string>();
  const std::string checkpoint = checkpoint_path_for(out, args["checkpoint-dir"].as<std::string>());

  // The settings as the options give them (their defaults where not given).
  train::TrainConfig cfg;
  cfg.epochs = checked_count(args["epochs"].as<int>(), 1 << 20, "epochs");
  cfg.batch_size = args["batch-size"].as<int>();
  cfg.optimizer.name = args["optimizer"].as<std::string>();
  cfg.optimizer.learning_rate = args["lr"].as<float>();
  cfg.lr_schedule = train::parse_lr_schedule(args["lr-schedule"].as<std::string>());
  cfg.ema_momentum = args["ema"].as<float>();
  cfg.optimizer.momentum = args["momentum"].as<float>();
  cfg.seed = args["seed"].as<std::uint64_t>();
  cfg.val_split = args["val-split"].as<double>();
  cfg.augment = args.count("augment") > 0;
  cfg.threads = args.count("threads") ? checked_count(args["threads"].as<int>(), 256, "threads") : default_threads();
  std::string spec = args["arch"].as<std::string>();

  std::optional<train::Checkpoint> resume;
  if (args.count("resume")) {
    resume = train::read_checkpoint(checkpoint);
    train::ResumeRequest request{spec, args.count("arch") > 0, cfg, {}};
    for (const char* option : {"batch-size", "seed", "optimizer", "momentum", "lr-schedule", "val-split", "augment", "ema"})
      if (args.count(option)) request.given.push_back(option);
    const std::vector<std::string> conflicts = train::resume_conflicts(*resume, request);
    if (!conflicts.empty()) {
      std::string message = "--resume: " + checkpoint + " cannot continue with other settings:";
      for (const std::string& c : conflicts) message += "\n  " + c;
      throw UsageError(message + "\nleave these options out, or start a new run without --resume");
    }
    // What may change: more epochs, the learning rate, the thread count.
    const train::TrainConfig& saved = resume->config;
    const int done = resume->position.epoch;
    train::TrainConfig continued = saved;
    if (args.count("epochs")) {
      if (cfg.epochs < done || (cfg.epochs == done && done < saved.epochs))
        throw UsageError("--epochs " + std::to_string(cfg.epochs) + ": " + checkpoint + " has already trained " +
                         std::to_string(done) + " epochs; give more to train further");
      if (cfg.epochs != saved.epochs) {
        std::fprintf(stderr, "resume: %d epochs in all instead of %d\n", cfg.epochs, saved.epochs);
        if (saved.lr_schedule != train::LrSchedule::constant)
          std::fprintf(stderr, "note: the %s schedule spans all epochs; the remaining steps get other learning rates "
                               "than either uninterrupted run\n", train::lr_schedule_name(saved.lr_schedule));
      }
      continued.epochs = cfg.epochs;
    }
    if (args.count("lr") && cfg.optimizer.learning_rate != saved.optimizer.learning_rate) {
      std::fprintf(stderr, "resume: learning rate %g instead of %g (not bit-identical to an uninterrupted run)\n",
                   cfg.optimizer.learning_rate, saved.optimizer.learning_rate);
      continued.optimizer.learning_rate = cfg.optimizer.learning_rate;
    }
    continued.threads = saved.threads;
    if (args.count("threads") && cfg.threads != saved.threads) {
      std::fprintf(stderr, "resume: %d threads instead of %d (not bit-identical to an uninterrupted run)\n",
                   cfg.threads, saved.threads);
      continued.threads = cfg.threads;
    }
    cfg = continued;
    spec = resume->file.spec;
  }
  cfg.checkpoint_path = checkpoint;
  std::optional<Network> init_from;
  if (args.count("init")) {
    if (!args.count("arch")) spec.clear();  // the init model's own
    init_from.emplace(train::read_init_model(args["init"].as<std::string>(), spec, "--arch"));  // before any data is read
  }

  data::Dataset train_set = load_train_set(files);
  if (args.count("limit")) {
    const int limit = checked_count(args["limit"].as<int>(), train_set.size(), "limit");
    train_set.images.count = train_set.labels.count = limit;
  }
  const std::optional<data::Dataset> test_set = load_test_set(files);
  if (train_set.images.rows * train_set.images.cols > 1 << 24) throw Error("training images are too large");

  Network net(spec, Shape{train_set.images.rows, train_set.images.cols, 1});
  net.init(cfg.seed);
  if (init_from) train::start_from(net, *init_from, args["init"].as<std::string>());
  train::LabelledImages train_view = view(train_set);
  train::LabelledImages test_view = test_set ? view(*test_set) : train::LabelledImages{};
  train::Trainer trainer(net, cfg, train_view, test_set ? &test_view : nullptr);
  if (resume) {
    trainer.resume_from(*resume);
    std::fprintf(stderr, "resuming from %s after %d of %d epochs\n", checkpoint.c_str(), trainer.completed_epochs(),
                 cfg.epochs);
    resume.reset();  // its tensors are in the trainer now
  }

  const bool quiet = args.count("quiet") > 0;
  Progress progress(stderr, quiet);
  const std::string log_path = args.count("log") ? args["log"].as<std::string>() : "";
  // A header starts the file and each new run appended to it (blnk plot tells runs apart by it);
  // a resumed run continues its rows.
  if (!log_path.empty() && (!args.count("resume") || !std::filesystem::exists(log_path)))
    std::ofstream(log_path, std::ios::app) << train::history_csv_header();
  train::TrainCallbacks callbacks;
  callbacks.on_batch = [&](const train::BatchProgress& p) { progress.batch(p); };
  callbacks.on_epoch = [&](const train::EpochStats& e) {
    progress.epoch(e);
    if (!log_path.empty()) {
      std::ofstream log(log_path, std::ios::app);
      log << train::history_csv_row(e, train::CsvPrecision::readable);
      if (!log) throw Error(log_path + ": cannot append to the log");
    }
  };
  callbacks.stop_requested = &g_stop;
  std::signal(SIGINT, on_training_stop_signal);
  std::signal(SIGTERM, on_training_stop_signal);
  if (!quiet)
    std::fprintf(stderr, "training %s on %d images (%s), %d epochs, batch %d, %d threads\n", net.spec().c_str(),
                 train_set.size(), files.train_source().c_str(), cfg.epochs, cfg.batch_size, cfg.threads);

  const train::TrainOutcome outcome = trainer.run(callbacks);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
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
  if (init_from) provenance.init = args["init"].as<std::string>();
  const ModelFile model = train::trained_model_file(net, cfg, provenance, trainer.history());
  write_model_file(out, model);
  if (args.count("plot")) {
    const std::string svg = train::plot_history_svg(trainer.history(), "blnk training: " + net.spec());
    write_file_atomically(args["plot"].as<std::string>(), std::vector<std::uint8_t>(svg.begin(), svg.end()));
  }
  if (!quiet) std::fprintf(stderr, "wrote %s\n", out.c_str());
  return 0;
}

int cmd_plot(int argc, char** argv) {
  cxxopts::Options options(argv[0], "Draw a training log (blnk train --log) as an SVG chart.");
  options.add_options()("log", "the CSV log", cxxopts::value<std::string>())(
      "out", "the SVG file to write", cxxopts::value<std::string>()->default_value("training.svg"))("h,help", "this help");
  options.parse_positional({"log"});
  const auto args = options.parse(argc, argv);
  if (args.count("help")) {
    std::printf("%s\n", options.help().c_str());
    return 0;
  }
  if (!args.count("log")) throw UsageError("give the log file");
  const auto runs = train::read_history_log(args["log"].as<std::string>());
  if (runs.size() > 1)
    std::fprintf(stderr, "blnk plot: %s holds %zu runs; drawing the last\n", args["log"].as<std::string>().c_str(), runs.size());
  const std::string svg = train::plot_history_svg(runs.back(), args["log"].as<std::string>());
  write_file_atomically(args["out"].as<std::string>(), std::vector<std::uint8_t>(svg.begin(), svg.end()));
  return 0;
}

}  // namespace blnk::cli

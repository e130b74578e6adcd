// POSIX and Env-backed FileReaders (see file_reader.h for why both exist).
#include "data/file_reader.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace tailor::data {
namespace {

Status PosixError(const std::string& what, const std::string& path, int err) {
  std::string msg = what + " " + path + ": " + std::strerror(err);
  return err == ENOENT ? Status::NotFound(msg) : Status::Internal(msg);
}

class PosixFileReader final : public FileReader {
 public:
  PosixFileReader(std::string path, uint64_t size, int fd)
      : FileReader(std::move(path), size), fd_(fd) {}
  ~PosixFileReader() override { ::close(fd_); }

  Status ReadAt(uint64_t offset, size_t n, char* dst, size_t* read) const override {
    *read = 0;
    while (*read < n) {
      ssize_t got = ::pread(fd_, dst + *read, n - *read, static_cast<off_t>(offset + *read));
      if (got < 0) {
        if (errno == EINTR) continue;
        return PosixError("cannot read", path(), errno);
      }
      if (got == 0) break;
      *read += static_cast<size_t>(got);
    }
    return Status::OK();
  }

 private:
  int fd_;
};

class MemoryFileReader final : public FileReader {
 public:
  MemoryFileReader(std::string path, std::string data)
      : FileReader(std::move(path), data.size()), data_(std::move(data)) {}

  Status ReadAt(uint64_t offset, size_t n, char* dst, size_t* read) const override {
    *read = 0;
    if (offset >= data_.size()) return Status::OK();
    *read = std::min<uint64_t>(n, data_.size() - offset);
    std::memcpy(dst, data_.data() + offset, *read);
    return Status::OK();
  }

 private:
  std::string data_;
};

}  // namespace

StatusOr<std::unique_ptr<FileReader>> FileReader::Open(Env* env, const std::string& path) {
  if (env != Env::Default()) {
    TAILOR_ASSIGN_OR_RETURN(std::string data, env->ReadFile(path));
    return std::unique_ptr<FileReader>(std::make_unique<MemoryFileReader>(path, std::move(data)));
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return PosixError("cannot open", path, errno);
  off_t size = ::lseek(fd, 0, SEEK_END);
  if (size < 0) {
    int err = errno;
    ::close(fd);
    return PosixError("cannot size", path, err);
  }
  // The import reads front to back once; tell the kernel so it reads ahead aggressively.
  (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::unique_ptr<FileReader>(
      std::make_unique<PosixFileReader>(path, static_cast<uint64_t>(size), fd));
}

Status FileReader::ReadExactly(uint64_t offset, size_t n, char* dst) const {
  size_t got = 0;
  TAILOR_RETURN_IF_ERROR(ReadAt(offset, n, dst, &got));
  if (got != n) {
    return Status::Internal("unexpected end of file " + path() + " at offset " +
                            std::to_string(offset + got));
  }
  return Status::OK();
}

}  // namespace tailor::data

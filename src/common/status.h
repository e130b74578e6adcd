// Status: the outcome of an operation, in LevelDB's shape. OK is a null pointer, so success
// costs nothing; an error carries a code from Personalize's vocabulary and a message written
// for the user. Codes carry no protocol: api/errors.cc maps them to wire types and statuses.
// Thread-safety: a Status is a value; distinct objects may be used from different threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace tailor {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidInput,      // bad or missing parameter, constraint violation
    kNotFound,          // unknown resource
    kAlreadyExists,     // name or ARN already taken
    kInUse,             // wrong state, or dependents still exist
    kLimitExceeded,     // a quota
    kInvalidNextToken,  // a malformed or foreign pagination token
    kTooManyTags,       // more than 50 tags on a resource
    kTooManyTagKeys,    // more than 200 keys in one UntagResource
    kUnavailable,       // shutting down, or a dependency is temporarily unreachable
    kInternal,          // a bug or an I/O failure the user cannot fix
    kNotSupported,      // an optional capability this implementation lacks
  };

  Status() noexcept = default;
  Status(const Status& other) : rep_(other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr) {}
  Status& operator=(const Status& other) {
    if (this != &other) rep_ = other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr;
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }
  static Status InvalidInput(std::string_view msg) { return Status(Code::kInvalidInput, msg); }
  static Status NotFound(std::string_view msg) { return Status(Code::kNotFound, msg); }
  static Status AlreadyExists(std::string_view msg) { return Status(Code::kAlreadyExists, msg); }
  static Status InUse(std::string_view msg) { return Status(Code::kInUse, msg); }
  static Status LimitExceeded(std::string_view msg) { return Status(Code::kLimitExceeded, msg); }
  static Status InvalidNextToken(std::string_view msg) {
    return Status(Code::kInvalidNextToken, msg);
  }
  static Status TooManyTags(std::string_view msg) { return Status(Code::kTooManyTags, msg); }
  static Status TooManyTagKeys(std::string_view msg) { return Status(Code::kTooManyTagKeys, msg); }
  static Status Unavailable(std::string_view msg) { return Status(Code::kUnavailable, msg); }
  static Status Internal(std::string_view msg) { return Status(Code::kInternal, msg); }
  static Status NotSupported(std::string_view msg) { return Status(Code::kNotSupported, msg); }

  bool ok() const { return rep_ == nullptr; }
  bool IsInvalidInput() const { return code() == Code::kInvalidInput; }
  bool IsNotFound() const { return code() == Code::kNotFound; }
  bool IsAlreadyExists() const { return code() == Code::kAlreadyExists; }
  bool IsInUse() const { return code() == Code::kInUse; }
  bool IsLimitExceeded() const { return code() == Code::kLimitExceeded; }
  bool IsInvalidNextToken() const { return code() == Code::kInvalidNextToken; }
  bool IsTooManyTags() const { return code() == Code::kTooManyTags; }
  bool IsTooManyTagKeys() const { return code() == Code::kTooManyTagKeys; }
  bool IsUnavailable() const { return code() == Code::kUnavailable; }
  bool IsInternal() const { return code() == Code::kInternal; }
  bool IsNotSupported() const { return code() == Code::kNotSupported; }

  Code code() const { return rep_ ? rep_->code : Code::kOk; }
  // The user-facing message; empty for OK.
  const std::string& message() const;
  // "OK", or "<CodeName>: <message>" for logs and test failures.
  std::string ToString() const;
  // Returns a copy whose message is "<prefix>: <message>", with the same code.
  Status WithPrefix(std::string_view prefix) const;

  static const char* CodeName(Code code);

 private:
  struct Rep {
    Code code;
    std::string message;
  };
  Status(Code code, std::string_view msg)
      : rep_(std::make_unique<Rep>(Rep{code, std::string(msg)})) {}

  std::unique_ptr<Rep> rep_;
};

}  // namespace tailor

// Returns early from the enclosing function when `expr` yields a non-OK Status.
#define TAILOR_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::tailor::Status tailor_status_ = (expr);        \
    if (!tailor_status_.ok()) return tailor_status_; \
  } while (0)

#define TAILOR_CONCAT_INNER_(a, b) a##b
#define TAILOR_CONCAT_(a, b) TAILOR_CONCAT_INNER_(a, b)
// Declares `lhs` from a StatusOr expression, returning its Status early on error.
#define TAILOR_ASSIGN_OR_RETURN(lhs, expr) \
  TAILOR_ASSIGN_OR_RETURN_IMPL_(TAILOR_CONCAT_(tailor_or_, __LINE__), lhs, expr)
#define TAILOR_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return std::move(tmp).status();      \
  lhs = std::move(tmp).value()
